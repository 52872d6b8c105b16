package history

import "slices"

// discoveryPartitions makes the discovery table's partitions: one per user
// (that user's register and unregister calls, and every answered online()
// projected on the user) and one for the whole table. online() reads every
// user at once, so the projections are not independent: a projection that
// is not linearizable proves the whole table is not (a linearization of the
// whole, restricted to one user, is one of the projection), but all of them
// passing does not prove online() answers are snapshots of one state. The
// whole-table partition decides that; it is the costly one.
//
// Before partitioning, unknown register and unregister calls are simplified
// where that changes no verdict (resolveDiscovery).
func discoveryPartitions(ops []Op, counts map[string]int) []*partition {
	var idx []int
	for i := range ops {
		op := &ops[i]
		if op.Kind == View {
			continue
		}
		counts["discovery_ops"]++
		if op.Outcome == Fail || op.Outcome == Unknown && op.Kind == Online {
			counts["left_out"]++
			continue
		}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return nil
	}
	u := resolveDiscovery(ops, idx)
	u.count(counts)

	whole := &partition{key: "discovery", model: discoveryPorcupine}
	byUser := make(map[string]*partition)
	var users []string
	user := func(u string) *partition {
		p := byUser[u]
		if p == nil {
			p = &partition{key: "discovery user " + u, user: u, model: userPorcupine}
			byUser[u] = p
			users = append(users, u)
		}
		return p
	}
	var onlines []int
	for _, i := range u.keep {
		op := u.op(ops, i)
		whole.ops = append(whole.ops, u.operation(ops, i, ""))
		if op.Kind == Online {
			onlines = append(onlines, i)
			for _, p := range op.Output.Online {
				user(p.User)
			}
			continue
		}
		p := user(op.Input.User)
		p.ops = append(p.ops, u.operation(ops, i, op.Input.User))
	}
	slices.Sort(users)
	parts := make([]*partition, 0, len(users)+1)
	for _, name := range users {
		p := byUser[name]
		for _, i := range onlines {
			p.ops = append(p.ops, operation(&ops[i], i, name, -1))
		}
		parts = append(parts, p)
	}
	counts["discovery_users"] = len(users)
	return append(parts, whole)
}
