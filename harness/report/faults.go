package report

import (
	"fmt"
	"strconv"
	"strings"

	"stegocloud/harness/internal/markdown"
	"stegocloud/harness/rundir"
)

// listLimit caps the per-fault and per-election tables: a long run has
// hundreds of periodic elections, and events.jsonl holds them all.
const listLimit = 30

func faultsSection(rw *markdown.Writer, rc *runReport) {
	s := rc.s
	rw.Line("## Fault tolerance\n")
	elections := fmt.Sprintf("%d (%s)", s.Elections.Total, Counts(s.Elections.ByCause))
	if ev := rc.d.Events; ev != nil {
		elections += fmt.Sprintf("; the log shows %d started, %d decided", ev.ElectionsStarted, ev.ElectionsDecided)
	}
	meanDown := Sec(s.Faults.MeanDownS)
	if n := len(s.Faults.Network); n > 0 && n == s.Faults.Injected {
		meanDown = "— (network faults take no node down)"
	}
	rows := [][]string{
		{"Faults injected", fmt.Sprintf("%d (%s)", s.Faults.Injected, Counts(s.Faults.ByKind))},
		{"Mean time down", meanDown},
		{"Elections", elections},
		{"Coordinator changes", fmt.Sprintf("%d (highest epoch %d)", s.Elections.CoordinatorChanges, s.Elections.MaxEpoch)},
		{"Failover time (coordinator lost → all live nodes follow the new one)", statsText(s.Faults.FailoverMs) + FailoverGaps(s.Faults)},
		{"Recovery time (node due back → active)", statsText(s.Faults.RecoveryMs) + recoveryGaps(s.Faults)},
		{"Requests reassigned", strconv.Itoa(s.Requests.Reassigned)},
		{"Requests retried", strconv.Itoa(s.Requests.Retried)},
		{"Duplicate responses", strconv.Itoa(s.Requests.Duplicates)},
		{"Requests lost", fmt.Sprintf("%d (%d failed, %d timed out)", s.Requests.Lost, s.Requests.Failed, s.Requests.TimedOut)},
		{"Messages per request", strconv.FormatFloat(s.MessagesPerRequest, 'f', 2, 64)},
		{"Replication (table or Raft frames per request; all messages per request; fsyncs)", replicationText(s.Replication)},
	}
	if row := proxyRow(s.Proxies); row != nil {
		rows = append(rows, row)
	}
	rw.Table([]string{"", ""}, rows)
	faultList(rw, rc)
	netFaultList(rw, rc)
	electionList(rw, rc)
}

func faultList(rw *markdown.Writer, rc *runReport) {
	windows := rc.d.FaultWindows()
	if len(windows) == 0 {
		if len(rc.d.NetFaultWindows()) > 0 {
			rw.Line("No node was taken down.\n")
			return
		}
		rw.Line("No fault windows were logged or scheduled.\n")
		return
	}
	rw.Line("Fault windows (seconds since the load start):\n")
	var rows [][]string
	for i, w := range windows {
		if i == listLimit {
			break
		}
		node := strconv.Itoa(w.Node)
		if w.Node == 0 {
			node = "cluster"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), node, w.Kind,
			strconv.FormatFloat(rc.d.Seconds(w.Start), 'f', 2, 64), strconv.FormatFloat(rc.d.Seconds(w.End), 'f', 2, 64),
			Sec(w.End.Sub(w.Start).Seconds()), w.Source})
	}
	rw.Table([]string{"#", "node", "kind", "start", "end", "down", "from"}, rows)
	if n := len(windows) - listLimit; n > 0 {
		rw.Printf("… and %d more.\n\n", n)
	}
}

func electionList(rw *markdown.Writer, rc *runReport) {
	ev := rc.d.Events
	switch {
	case ev == nil:
		rw.Printf("Elections are not listed: %s was not read.\n\n", rundir.FileEvents)
		return
	case len(ev.Elections) == 0:
		rw.Line("No decided election was logged.\n")
		return
	}
	rw.Line("Decided elections, as the initiator logged them:\n")
	var rows [][]string
	for i, e := range ev.Elections {
		if i == listLimit {
			break
		}
		rows = append(rows, []string{strconv.FormatUint(e.Epoch, 10), strconv.FormatFloat(rc.d.Seconds(e.Time), 'f', 2, 64),
			strconv.Itoa(e.Initiator), orDash(e.Cause), strconv.Itoa(e.Winner), loadsText(e.Loads)})
	}
	rw.Table([]string{"epoch", "t (s)", "initiator", "cause", "winner", "loads"}, rows)
	if n := len(ev.Elections) - listLimit; n > 0 {
		rw.Printf("… and %d more (see %s).\n\n", n, rundir.FileEvents)
	}
}

// FailoverGaps says which coordinator losses gave no failover sample,
// so that n is not read as the number of losses.
func FailoverGaps(f rundir.FaultSummary) string {
	var parts []string
	if f.FailoverMasked > 0 {
		parts = append(parts, fmt.Sprintf("%d masked (the coordinator was back before any node reacted)", f.FailoverMasked))
	}
	if f.FailoverUnresolved > 0 {
		parts = append(parts, fmt.Sprintf("%d unresolved (the live nodes never agreed)", f.FailoverUnresolved))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

// recoveryGaps counts the faults after which no recovery was logged.
func recoveryGaps(f rundir.FaultSummary) string {
	if f.RecoveryUnresolved == 0 {
		return ""
	}
	return fmt.Sprintf("; %d unresolved (no return to Active logged)", f.RecoveryUnresolved)
}

// replicationText is the replication cost row: what keeping the
// coordinator's state replicated cost (harness/doc.go, "Replication cost").
func replicationText(c rundir.ReplicationCost) string {
	return fmt.Sprintf("%.2f; %.2f; %d fsyncs, %.1f/s", c.MessagesPerRequest, c.AllMessagesPerRequest, c.Fsyncs, c.FsyncsPerS)
}
