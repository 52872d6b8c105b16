package stego

// Metadata is what the service hides in an image: who may view it and how many
// views remain. Its JSON form is the seed's: {"usernames": [...], "quota": N}.
type Metadata struct {
	Usernames []string `json:"usernames"`
	Quota     int      `json:"quota"`
}
