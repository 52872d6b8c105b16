package stego

// Metadata is what the service hides in an image: its id, who may view it
// and how many views remain. Its JSON form is the seed's with the id added:
// {"id": "…", "usernames": [...], "quota": N}.
type Metadata struct {
	// ID names the image: 1 to MaxIDBytes bytes of A-Z, a-z, 0-9, '.', '_'
	// and '-', kept exactly. Empty when hiding means "draw a random one"
	// (NewID); revealing always returns one — the frame's, or for a
	// version-1 frame, which has none, one derived from its bytes (doc.go).
	ID        string   `json:"id,omitempty"`
	Usernames []string `json:"usernames"`
	Quota     int      `json:"quota"`
}
