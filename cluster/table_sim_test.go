package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"stegocloud/cluster/table"
	"stegocloud/stego"
)

// The simulator's images are their metadata as JSON: a view's reveal
// decodes the cover, and anything else is "not an image".

// simImage is an image the simulator's reveal reads meta from.
func simImage(meta stego.Metadata) []byte {
	b, _ := json.Marshal(meta)
	return append([]byte("SIMIMG"), b...)
}

// simServeResult ends a simulated service: an encrypt succeeds, a view
// reveals the metadata its image carries.
func simServeResult(sv simServe, d time.Duration) ServeResult {
	res := ServeResult{Duration: d}
	if sv.kind != KindView {
		return res
	}
	var m stego.Metadata
	if !bytes.HasPrefix(sv.cover, []byte("SIMIMG")) || json.Unmarshal(sv.cover[6:], &m) != nil {
		res.Err = "revealing the image's metadata: not an image"
		return res
	}
	res.Meta = &m
	return res
}

// tableRequest multicasts a table request to the given nodes (all when
// none); the reply handle is the receiving node's id.
func (s *sim) tableRequest(id string, attempt int, msg Message, to ...int) {
	if len(to) == 0 {
		to = s.ids
	}
	msg.Type, msg.ID, msg.Attempt = MsgRequest, id, attempt
	if err := msg.Validate(); err != nil {
		s.t.Fatalf("simulated client sends an invalid request: %v", err)
	}
	for _, n := range to {
		if s.dead[n] || s.paused[n] {
			continue
		}
		s.ms[n].ClientRequest(s.now, msg, n)
		s.collect(n)
	}
	s.deliver()
}

// view asks to view img as user.
func (s *sim) view(id string, attempt int, img stego.Metadata, user string, to ...int) {
	s.tableRequest(id, attempt, Message{Kind: KindView, User: user, Body: simImage(img)}, to...)
}

// answer returns the one table answer request id got, failing on none or
// on answers that disagree.
func (s *sim) answer(id string) Message {
	s.t.Helper()
	as := s.answers[id]
	if len(as) == 0 {
		s.t.Fatalf("request %s: no answer%s", id, s.describe())
	}
	first := as[0].msg
	for _, a := range as[1:] {
		if js(a.msg.Result) != js(first.Result) {
			s.t.Fatalf("request %s: answers disagree: %s from node %d, %s from node %d", id,
				js(first.Result), as[0].node, js(a.msg.Result), a.node)
		}
	}
	return first
}

// viewAnswer runs a view to completion and returns its answer's result.
func (s *sim) viewAnswer(id string, img stego.Metadata, user string, to ...int) table.ViewResult {
	s.t.Helper()
	s.view(id, 1, img, user, to...)
	s.advance(100 * time.Millisecond)
	a := s.answer(id)
	if a.Result == nil || a.Result.View == nil {
		s.t.Fatalf("view %s answered without a view result: %+v", id, a)
	}
	return *a.Result.View
}

// store returns node id's coordinator store.
func (s *sim) store(id int) *coordStore { return s.ms[id].store.(*coordStore) }

// sameTables fails unless every live Active node holds the same table at
// the same position as want's.
func (s *sim) sameTables(context string, want int) {
	s.t.Helper()
	ws := s.store(want)
	for _, id := range s.live() {
		if s.ms[id].state != StateActive {
			continue
		}
		st := s.store(id)
		if st.at != ws.at || !bytes.Equal(st.tab.Snapshot(), ws.tab.Snapshot()) {
			s.t.Fatalf("%s: node %d's table at %+v differs from node %d's at %+v:\n%s\n%s", context, id, st.at,
				want, ws.at, st.tab.Snapshot(), ws.tab.Snapshot())
		}
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// granted and refused are view results as the table gives them.
func grantedView(remaining int) table.ViewResult {
	return table.ViewResult{Granted: true, Remaining: remaining}
}

func refusedView(remaining int, reason string) table.ViewResult {
	return table.ViewResult{Remaining: remaining, Reason: reason}
}

func viewID(i int) string { return fmt.Sprintf("v%d", i) }
