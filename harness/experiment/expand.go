package experiment

import (
	"fmt"
	"hash/fnv"
	"reflect"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Variant is one run of an experiment: one point of its matrix, one repeat.
type Variant struct {
	// Experiment is this run's experiment, validated, with no matrix, repeat 1
	// and Seed set to this run's seed: written as the run's experiment.yaml it
	// reproduces exactly this run.
	Experiment *Experiment
	Label      string  // VariantLabel of Params: "balancer=round-robin,nodes=5"; "" without a matrix
	Params     []Param // the matrix values of this variant, in axis order
	Repeat     int     // from 1, as rundir.Info.Repeat
	Seed       int64   // = Experiment.Seed
}

// Param is one matrix value of a variant.
type Param struct {
	Field string // full path, "cluster.balancer"
	Value string
}

// label is the variant's VariantLabel (compare's naming of sweep variants,
// which is also their directory name).
func label(params []Param) string {
	fields := make([]string, len(params))
	values := make(map[string]string, len(params))
	for i, p := range params {
		fields[i], values[p.Field] = p.Field, p.Value
	}
	return VariantLabel(fields, values)
}

// Expand lists the runs an experiment asks for: every point of the matrix
// (the first axis varies slowest), each repeated Repeat times. Runs are
// ordered repeat by repeat — all variants of repeat 1, then of repeat 2 — so
// that slow drift of the machine spreads evenly over the variants instead of
// biasing whichever ran last.
//
// Seeds: repeat 1 uses the experiment's seed, repeat r > 1 a seed derived from
// it and r (DeriveSeed). Variants of the same repeat share a seed on purpose —
// common random numbers: "round-robin vs lowest-load" then meets the same
// faults and images, so the comparison measures the balancer, not the dice.
func Expand(e *Experiment) ([]Variant, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	points, err := e.matrixPoints()
	if err != nil {
		return nil, err
	}
	var out []Variant
	for r := 1; r <= e.Repeat; r++ {
		for _, p := range points {
			v, fe := e.variant(p)
			if len(fe) > 0 {
				return nil, fe.join()
			}
			v.Repeat = 1
			v.Seed = DeriveSeed(v.Seed, r)
			out = append(out, Variant{Experiment: v, Label: label(p), Params: p, Repeat: r, Seed: v.Seed})
		}
	}
	return out, nil
}

// DeriveSeed is the seed of repeat r (from 1) of an experiment seeded with
// base: base itself for r = 1, so that a single run's experiment.yaml replays
// it, and a well-mixed, stable function of (base, r) otherwise.
func DeriveSeed(base int64, r int) int64 {
	if r <= 1 {
		return base
	}
	return int64(splitmix64(uint64(base) ^ splitmix64(uint64(r))))
}

// SubSeed derives an independent stream seed for one purpose ("faults",
// "images", …) so that changing how many numbers one consumer draws never
// shifts another's.
func SubSeed(seed int64, purpose string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	return splitmix64(uint64(seed) ^ h.Sum64())
}

// splitmix64 is the SplitMix64 finaliser: a bijective 64-bit mix.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// matrixPoints is the cartesian product of the matrix axes; one empty point
// without a matrix.
func (e *Experiment) matrixPoints() ([][]Param, error) {
	n := 1
	for _, a := range e.Matrix {
		n *= len(a.Values)
		if n*e.Repeat > maxVariants {
			return nil, &FieldError{Path: "matrix", Msg: fmt.Sprintf("more than %d runs (variants × repeat)", maxVariants)}
		}
	}
	points := [][]Param{{}}
	for _, a := range e.Matrix {
		var next [][]Param
		for _, p := range points {
			for _, v := range a.Values {
				next = append(next, append(p[:len(p):len(p)], Param{Field: a.Field, Value: v}))
			}
		}
		points = next
	}
	return points, nil
}

// variant is a validated copy of e with the params applied and no matrix.
func (e *Experiment) variant(params []Param) (*Experiment, fieldErrors) {
	var fe fieldErrors
	v, err := e.clone()
	if err != nil {
		fe.addf("matrix", "%v", err)
		return nil, fe
	}
	v.Matrix = nil
	for _, p := range params {
		if err := setField(v, p.Field, p.Value); err != nil {
			fe.addf("matrix["+p.Field+"]", "%v", err)
			return nil, fe
		}
	}
	v.Expect.withAnomaliesWhen(params)
	for _, f := range v.validate() {
		fe.addf("matrix", "%s: %s (in variant %s)", f.Path, f.Msg, label(params))
	}
	if len(fe) > 0 {
		return nil, fe
	}
	return v, nil
}

// validateMatrix checks each axis on its own: the field exists and is a
// scalar, and each value alone yields a valid experiment. Errors point at the
// offending value.
func (e *Experiment) validateMatrix(fe *fieldErrors) {
	for _, a := range e.Matrix {
		base := "matrix[" + a.Field + "]"
		if _, err := scalarField(a.Field); err != nil {
			fe.addf(base, "%v", err)
			continue
		}
		for i, val := range a.Values {
			path := base + "[" + strconv.Itoa(i) + "]"
			v, err := e.clone()
			if err != nil {
				fe.addf(path, "%v", err)
				continue
			}
			v.Matrix = nil
			v.Expect.withAnomaliesWhen([]Param{{Field: a.Field, Value: val}})
			if err := setField(v, a.Field, val); err != nil {
				fe.addf(path, "%v", err)
				continue
			}
			for _, f := range v.validate() {
				fe.addf(path, "%s=%s makes %s invalid: %s", a.Field, val, f.Path, f.Msg)
			}
		}
	}
}

// checkVariants reports combinations of matrix values that are invalid
// together although each value is fine alone.
func (e *Experiment) checkVariants() fieldErrors {
	points, err := e.matrixPoints()
	if err != nil {
		return fieldErrors{err.(*FieldError)}
	}
	var fe fieldErrors
	for _, p := range points {
		_, errs := e.variant(p)
		fe = append(fe, errs...)
	}
	return fe
}

// clone is a deep copy, made through the YAML form that Parse(YAML()) is
// tested to preserve exactly.
func (e *Experiment) clone() (*Experiment, error) {
	data, err := yaml.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("copying experiment: %w", err)
	}
	c := new(Experiment)
	if err := yaml.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("copying experiment: %w", err)
	}
	return c, nil
}

// unsweepable fields make no sense as matrix axes.
var unsweepable = map[string]string{
	"name":   "variants share the experiment's name; their labels tell them apart",
	"repeat": "use repeat itself",
}

// scalarField finds the field at a dotted yaml path and checks that a matrix
// may vary it.
func scalarField(path string) (reflect.StructField, error) {
	if why, ok := unsweepable[path]; ok {
		return reflect.StructField{}, badValuef("%s cannot be swept: %s", path, why)
	}
	t := experimentType
	var f reflect.StructField
	parts := strings.Split(path, ".")
	for i, name := range parts {
		if t.Kind() != reflect.Struct {
			return f, badValuef("%s is not a section, so it has no field %q", strings.Join(parts[:i], "."), name)
		}
		var ok bool
		if f, ok = yamlField(t, name); !ok {
			where := strings.Join(parts[:i], ".")
			if where == "" {
				where = "the experiment"
			}
			return f, badValuef("unknown field %q in %s%s", name, where, suggest(name, yamlFieldNames(t)))
		}
		t = f.Type
	}
	if !sweepableType(t) {
		return f, badValuef("%s is a %s, not a single value; a matrix can only vary scalar fields", path, kindOfType(t))
	}
	return f, nil
}

func sweepableType(t reflect.Type) bool {
	if t == matrixType {
		return false
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || t == durationType {
		return true
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map, reflect.Array, reflect.Pointer, reflect.Interface:
		return false
	}
	return true
}

func kindOfType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "section"
	case reflect.Slice, reflect.Array:
		return "list"
	}
	return t.String()
}

// setField sets the field at path from the text of a YAML scalar, with the
// same type rules as an experiment file.
func setField(e *Experiment, path, text string) error {
	if _, err := scalarField(path); err != nil {
		return err
	}
	v := reflect.ValueOf(e).Elem()
	for _, name := range strings.Split(path, ".") {
		f, _ := yamlField(v.Type(), name)
		v = v.FieldByIndex(f.Index)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: text}
	c := &checker{lines: map[string]int{}}
	if c.check(n, v.Type(), path); len(c.errs) > 0 {
		return badValue(c.errs[0].Msg)
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		return badValuef("%q: %v", text, err)
	}
	return nil
}

// VariantLabel names a variant by its values, each as the last element of its
// field path ("cluster.nodes" → "nodes=5"), comma-separated in field order. A
// field whose last element is ambiguous in the sweep keeps its whole path.
// Characters that do not belong in a directory name become '_' ("150/s" →
// "150_s"), so that the label can be the variant's directory.
func VariantLabel(fields []string, values map[string]string) string {
	short := make(map[string]int)
	for _, f := range fields {
		short[ShortField(f)]++
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		name := ShortField(f)
		if short[name] > 1 {
			name = f
		}
		parts[i] = safeName(name) + "=" + safeName(values[f])
	}
	return strings.Join(parts, ",")
}

func ShortField(f string) string {
	return f[strings.LastIndexByte(f, '.')+1:]
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(".-+_", r):
			return r
		}
		return '_'
	}, s)
}

// Username is the i-th name of request seq: "user<i>-<8 hex digits>". The
// index keeps the names of one request distinct.
func Username(seed uint64, seq uint64, i int) string {
	v := splitmix64(seed ^ splitmix64(seq<<16|uint64(i&0xffff)))
	return "user" + strconv.Itoa(i) + "-" + fmt.Sprintf("%08x", uint32(v))
}
