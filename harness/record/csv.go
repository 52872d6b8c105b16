package record

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"stegocloud/harness/internal/units"
	"stegocloud/harness/load"
)

// RequestsCSVHeader is the first line of requests.csv. One row per request, in
// the order the recorder received them (completion order):
//
//	seq         Result.Seq
//	id          request id on the wire (quoted when needed)
//	client      client (worker) index, from 0
//	intended_s  when the request was due, seconds from the load start (µs resolution)
//	start_s     when it was actually sent, seconds from the load start
//	latency_ms  from intended to the valid response or the final error (µs resolution)
//	outcome     ok | failed | timeout | unsent (issued after the load stopped and never sent; start_s is 0)
//	node        serving node of the accepted response, 0 if none
//	attempts    sends under this id (1 + retries)
//	duplicates  valid responses after the first
//	invalid     responses rejected by verification
//	verified    1 when the accepted response's metadata matched what was sent
//	in_fault    1 when the request was in flight during a fault window
//	bytes_out   request bytes
//	bytes_in    response bytes
//	reason      why it failed or timed out; empty when ok
const RequestsCSVHeader = "seq,id,client,intended_s,start_s,latency_ms,outcome,node,attempts,duplicates,invalid,verified,in_fault,bytes_out,bytes_in,reason"

// csvWriter streams requests.csv rows through a buffer it reuses, so writing a
// row allocates nothing. The first write error sticks and is returned by flush.
type csvWriter struct {
	w   *bufio.Writer
	row []byte
	err error
}

func newCSVWriter(w io.Writer) *csvWriter {
	c := &csvWriter{w: bufio.NewWriterSize(w, 64<<10), row: make([]byte, 0, 256)}
	_, c.err = c.w.WriteString(RequestsCSVHeader + "\n")
	return c
}

// write appends one row; times are offsets from the load start.
func (c *csvWriter) write(r *load.Result, intended, start time.Duration, inFault bool) {
	if c.err != nil {
		return
	}
	b := c.row[:0]
	b = strconv.AppendUint(b, r.Seq, 10)
	b = append(b, ',')
	b = appendCSVField(b, r.ID)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Client), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, intended.Seconds(), 'f', 6, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, start.Seconds(), 'f', 6, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, units.Ms(r.Latency), 'f', 3, 64)
	b = append(b, ',')
	b = append(b, r.Outcome.String()...)
	for _, v := range [...]int{r.Node, r.Attempts, r.Duplicates, r.Invalid, bit(r.Verified), bit(inFault), r.BytesOut, r.BytesIn} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ',')
	b = appendCSVField(b, r.Reason)
	b = append(b, '\n')
	c.row = b
	_, c.err = c.w.Write(b)
}

func (c *csvWriter) flush() error {
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if c.err != nil {
		return fmt.Errorf("writing requests.csv: %w", c.err)
	}
	return nil
}

// appendCSVField appends s as one RFC 4180 field: quoted, with quotes
// doubled, when it holds a separator, a quote, a line break or edge spaces.
func appendCSVField(b []byte, s string) []byte {
	needs := s != "" && (s[0] == ' ' || s[len(s)-1] == ' ' || strings.ContainsAny(s, ",\"\r\n"))
	if !needs {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func bit(v bool) int {
	if v {
		return 1
	}
	return 0
}
