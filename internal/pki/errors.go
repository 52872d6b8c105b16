package pki

import "errors"

// Sentinel errors; every returned error wraps one with what was being done.
var (
	// ErrIdentity means a text or a certificate does not carry a valid
	// identity, or carries one other than the one required.
	ErrIdentity = errors.New("bad identity")

	// ErrCredentials means certificate or key files are missing, unreadable,
	// malformed, do not belong together, or are readable by others.
	ErrCredentials = errors.New("bad credentials")

	// ErrExists means Generate would overwrite a file and was not told to.
	ErrExists = errors.New("file exists")
)
