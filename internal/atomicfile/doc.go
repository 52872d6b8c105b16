// Package atomicfile writes files whole or not at all: through a temporary
// file in the target's directory that is synced, given its mode, and then
// renamed into place (Replace) or hard-linked to a name that must not exist
// yet (Create). A reader never sees a part of a file, and a failed write
// leaves the previous file as it was. Replace and Create also sync the
// directory, so the new name survives a crash once they return.
package atomicfile
