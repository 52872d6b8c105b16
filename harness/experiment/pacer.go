package experiment

import vegeta "github.com/tsenart/vegeta/v12/lib"

// sineOffsets are the pacer.start_at names of vegeta's sine offsets.
var sineOffsets = map[string]float64{
	"":          vegeta.MeanUp,
	"mean-up":   vegeta.MeanUp,
	"peak":      vegeta.Peak,
	"mean-down": vegeta.MeanDown,
	"trough":    vegeta.Trough,
}

// VegetaPacer is the workload's open-loop pacer; nil for a closed loop.
func (w *Workload) VegetaPacer() vegeta.Pacer {
	if w.Mode() != ModeOpen {
		return nil
	}
	if w.Pacer.Kind == "" {
		return w.Rate.vegeta()
	}
	p := w.Pacer
	switch p.Kind {
	case PacerLinear:
		return vegeta.LinearPacer{StartAt: p.Rate.vegeta(), Slope: p.Slope}
	case PacerSine:
		return vegeta.SinePacer{Period: p.Period, Mean: p.Rate.vegeta(), Amp: p.Amp.vegeta(), StartAt: sineOffsets[p.StartAt]}
	}
	return p.Rate.vegeta()
}
