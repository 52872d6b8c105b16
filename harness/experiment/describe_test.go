package experiment

import (
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// badArticle finds the grammar slips issue 15 reported ("got a alias"):
// "a" before a vowel, or a list of 1 "items".
var badArticle = regexp.MustCompile(`\ba [aeiou]|\ban [^aeiou(]|of 1 items`)

// TestDescribeNodeEveryKind: every YAML node kind is named with its own
// article, and a scalar says what type YAML read it as.
func TestDescribeNodeEveryKind(t *testing.T) {
	scalar := func(tag, v string, style yaml.Style) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v, Style: style}
	}
	three := scalar("!!int", "3", 0)
	tests := []struct {
		n    *yaml.Node
		want string
	}{
		{scalar("!!str", "3", yaml.DoubleQuotedStyle), `the string "3"`},
		{scalar("!!str", "ten", 0), `the string "ten"`},
		{three, "the number 3"},
		{scalar("!!float", "2.5", 0), "the number 2.5"},
		{scalar("!!bool", "true", 0), "the boolean true"},
		{scalar("!!null", "", 0), "nothing"},
		{scalar("!!timestamp", "2001-12-14", 0), `the value "2001-12-14"`},
		{scalar("!custom", "x", 0), `the value "x"`},
		{&yaml.Node{Kind: yaml.SequenceNode}, "a list of 0 items"},
		{&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{three}}, "a list of 1 item"},
		{&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{three, three}}, "a list of 2 items"},
		{&yaml.Node{Kind: yaml.MappingNode}, "a mapping"},
		{&yaml.Node{Kind: yaml.AliasNode, Value: "x", Alias: three}, "an alias (*x) of the number 3"},
		{&yaml.Node{Kind: yaml.AliasNode, Value: "m", Alias: &yaml.Node{Kind: yaml.MappingNode}}, "an alias (*m) of a mapping"},
		{&yaml.Node{Kind: yaml.AliasNode, Value: "y"}, "an alias (*y)"},
		{&yaml.Node{Kind: yaml.DocumentNode}, "a document"},
		{&yaml.Node{}, "an unknown kind of YAML node"},
	}
	for _, tt := range tests {
		got := describeNode(tt.n)
		if got != tt.want {
			t.Errorf("describeNode(kind %d, tag %q, %q) = %q, want %q", tt.n.Kind, tt.n.Tag, tt.n.Value, got, tt.want)
		}
		if badArticle.MatchString(got) {
			t.Errorf("describeNode = %q: wrong article", got)
		}
	}
}

// TestParseMessagesNameTheType: a value of the wrong type is named with
// its YAML type, so that a quoted "3" reads as the string it is, and every
// message placed at the alias that brought the value in.
func TestParseMessagesNameTheType(t *testing.T) {
	cases := []struct {
		name, src string
		want      string
	}{
		{"quoted whole number", minimal + "cluster: {nodes: \"3\"}\n",
			`x.yaml:2: cluster.nodes: want a whole number, got the string "3"; write it without quotes`},
		{"single-quoted bool", minimal + "cluster: {recovery_election: 'true'}\n",
			`cluster.recovery_election: want true or false, got the string "true"; write it without quotes`},
		{"word for a number", minimal + "cluster: {nodes: three}\n", `cluster.nodes: want a whole number, got the string "three"`},
		{"quoted word for a number", minimal + "cluster: {nodes: \"three\"}\n", `cluster.nodes: want a whole number, got the string "three"` + "\n"},
		{"fraction for a whole number", minimal + "cluster: {nodes: 2.5}\n", "cluster.nodes: want a whole number, got the number 2.5"},
		{"bool for a number", minimal + "cluster: {nodes: true}\n", "cluster.nodes: want a whole number, got the boolean true"},
		{"number for a bool", minimal + "cluster: {recovery_election: 1}\n", "cluster.recovery_election: want true or false, got the number 1"},
		{"list for a value", minimal + "cluster: {nodes: [3]}\n", "cluster.nodes: want a single value, got a list of 1 item"},
		{"mapping for a rate", "workload: {rate: {a: 1}, duration: 1s}\n", `workload.rate: want a rate such as "150/s", got a mapping`},
		{"alias as a key", minimal + "seed: &s 3\ncluster:\n  *s : 4\n", "x.yaml:4: cluster: keys must be plain names, got an alias (*s) of the number 3"},
		{"alias value placed at the alias", minimal + "description: &d \"3\"\ncluster:\n  nodes: *d\n",
			`x.yaml:4: cluster.nodes: want a whole number, got the string "3"; write it without quotes`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want %q", tc.src, tc.want)
			}
			msg := err.Error() + "\n"
			if !strings.Contains(msg, tc.want) {
				t.Errorf("Parse(%q) error\n%v\nwant it to contain %q", tc.src, err, tc.want)
			}
			if badArticle.MatchString(msg) {
				t.Errorf("Parse(%q) error %q: wrong article", tc.src, msg)
			}
		})
	}
}
