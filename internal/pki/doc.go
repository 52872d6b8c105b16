// Package pki is the cluster's public-key infrastructure for mutual TLS:
// who is who, and the files and tls.Configs that prove it.
//
// # Identities
//
// Every certificate carries exactly one identity, as a URI SAN in the SPIFFE
// form spiffe://stegocloud/ROLE/NAME:
//
//	spiffe://stegocloud/node/3          node 3 (decimal 1..255)
//	spiffe://stegocloud/client/NAME     a client (send, the harness's load)
//	spiffe://stegocloud/control/NAME    a control client (fail, status, shutdown)
//
// NAME is 1..64 of [A-Za-z0-9._-]. ParseIdentity accepts only that canonical
// text, so an identity has one spelling. Node certificates may serve and
// dial (ServerAuth and ClientAuth); client and control certificates only
// dial (ClientAuth). A node checks that a connection's hello matches the
// identity its certificate proved (cluster/inbound.go); this package proves
// the identity, the cluster decides what it may do.
//
// # Files
//
// Generate writes a directory (mode 0700): ca.pem and ca-key.pem (an ECDSA
// P-256 CA), node-N.pem and node-N-key.pem for each node, client.pem and
// client-key.pem, control.pem and control-key.pem. Keys are 0600; Load
// refuses a key that group or others can read, as ssh does. Generate never
// overwrites a file unless told to (Options.Force).
//
// # TLS
//
// TLS 1.3 only. A node's server side requires and verifies a client
// certificate (tls.RequireAndVerifyClientCert) and checks that it carries an
// identity in VerifyConnection, which also runs on resumed sessions. The
// dialling side verifies the server's chain itself (certificates name no
// host: the identity is the name) and that it is the node it meant to reach.
// With TLS 1.3 a client's Handshake can succeed although the server then
// rejects its certificate; the rejection arrives with the first read.
package pki
