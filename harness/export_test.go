package harness

// Test helpers of package harness that the external tests (package
// harness_test) use too.
var (
	CheckGolden = checkGolden
	FirstDiff   = firstDiff
	Update      = update
)
