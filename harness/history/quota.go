package history

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// imageViews is one image's views, split by what the client knows.
type imageViews struct {
	id      string
	quota   int
	grants  []int // answered granted
	maybe   int   // unknown outcome by a user not known to be unauthorized
	exhaust []int // answered with 0 left or "quota exhausted"
}

// QuotaSafety checks, per image, that (1) the views answered granted do not
// outnumber its quota — an unknown view only might have been granted, so a
// violation needs more answered grants than the quota — and (2) no view was
// granted that was called after another view of the image had returned 0
// left or "quota exhausted" (in real time: its call after that return). It
// is a pure function of ops; doc.go gives the exact definition.
func QuotaSafety(ops []Op) Result {
	if err := Validate(ops); err != nil {
		return invalid("quota_safety", err)
	}
	images := viewsByImage(ops)
	r := Result{Name: "quota_safety", Counts: map[string]int{"images": len(images)}}
	var over, late []string
	for _, im := range images {
		r.Counts["granted"] += len(im.grants)
		r.Counts["unknown_views"] += im.maybe
		if len(im.grants) <= im.quota && len(im.grants)+im.maybe > im.quota {
			r.Counts["maybe_over"]++
		}
		if v, ok := overGrant(ops, im); ok {
			over = append(over, im.id)
			r.addViolation(v)
		}
		if v, n := grantsAfterExhausted(ops, im); n > 0 {
			late = append(late, im.id)
			r.Counts["late_grants"] += n
			r.addViolation(v)
		}
	}
	r.Counts["over_granted_images"] = len(over)
	r.Counts["late_grant_images"] = len(late)
	switch {
	case len(over)+len(late) == 0:
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("%d views granted over %d images, none beyond a quota or after it ran out", r.Counts["granted"], len(images))
		if n := r.Counts["maybe_over"]; n > 0 {
			r.Details = append(r.Details, fmt.Sprintf("%d images would exceed their quota if their unknown views had been granted", n))
		}
	default:
		r.Status = StatusFail
		var parts []string
		if len(over) > 0 {
			parts = append(parts, "granted beyond quota: image "+listSome(over, 3))
		}
		if len(late) > 0 {
			parts = append(parts, "granted after quota ran out: image "+listSome(late, 3))
		}
		r.Summary = strings.Join(parts, "; ")
	}
	return r
}

func viewsByImage(ops []Op) []*imageViews {
	byID := make(map[string]*imageViews)
	var out []*imageViews
	for i := range ops {
		op := &ops[i]
		if op.Kind != View {
			continue
		}
		im := byID[op.Input.Image]
		if im == nil {
			im = &imageViews{id: op.Input.Image, quota: op.Input.Quota}
			byID[im.id] = im
			out = append(out, im)
		}
		switch {
		case op.Outcome == Unknown && op.Input.Authorized != AuthDenied:
			im.maybe++
		case op.Outcome != OK:
		case op.Output.Granted:
			im.grants = append(im.grants, i)
		}
		if op.Outcome == OK && (op.Output.Remaining == 0 || op.Output.Reason == ReasonQuotaExhausted) {
			im.exhaust = append(im.exhaust, i)
		}
	}
	slices.SortFunc(out, func(a, b *imageViews) int { return strings.Compare(a.id, b.id) })
	return out
}

func overGrant(ops []Op, im *imageViews) (Violation, bool) {
	if len(im.grants) <= im.quota {
		return Violation{}, false
	}
	grants := slices.Clone(im.grants)
	slices.SortStableFunc(grants, func(a, b int) int { return cmp.Compare(ops[a].Return, ops[b].Return) })
	v := Violation{Kind: "over-grant", Key: "image " + im.id}
	var lines []string
	for _, i := range grants {
		lines = append(lines, ops[i].String())
		if len(v.Ops) < maxEvidenceOps {
			v.Ops = append(v.Ops, evidence(ops, i, "granted"))
		}
	}
	v.Text = fmt.Sprintf("image %s (quota %d): %d views granted: %s.", im.id, im.quota, len(grants), strings.Join(lines, "; "))
	if im.maybe > 0 {
		v.Text += fmt.Sprintf(" (%d more views have unknown outcomes.)", im.maybe)
	}
	return v, true
}

// grantsAfterExhausted finds grants called after the first return that
// reported the image out of views; n counts them.
func grantsAfterExhausted(ops []Op, im *imageViews) (v Violation, n int) {
	if len(im.exhaust) == 0 {
		return Violation{}, 0
	}
	first := slices.MinFunc(im.exhaust, func(a, b int) int { return cmp.Compare(ops[a].Return, ops[b].Return) })
	end := ops[first].Return
	v = Violation{Kind: "grant after exhausted", Key: "image " + im.id}
	v.Ops = append(v.Ops, evidence(ops, first, "reported no views left"))
	var lines []string
	for _, i := range im.grants {
		if ops[i].Call <= end {
			continue
		}
		n++
		if len(lines) < MaxViolations {
			lines = append(lines, ops[i].String())
			v.Ops = append(v.Ops, evidence(ops, i, "granted later"))
		}
	}
	if n == 0 {
		return Violation{}, 0
	}
	v.Text = fmt.Sprintf("image %s (quota %d): %s reported no views left at %s, yet %d views called later were granted: %s.",
		im.id, im.quota, ops[first].String(), fmtTime(end), n, strings.Join(lines, "; "))
	return v, n
}
