package plot

import "errors"

// The sentinel errors of package plot. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrNoFigureData means a figure was asked for but the run holds none of
	// the data it draws (no histogram, no time series, no load samples).
	ErrNoFigureData = errors.New("no data for figure")

	// ErrFigureFormat means a figure was asked for in a format other than png
	// or svg.
	ErrFigureFormat = errors.New("unsupported figure format")
)
