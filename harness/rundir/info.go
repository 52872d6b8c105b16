package rundir

import "time"

// Info is run.json: where and when a run happened, so that a report can say
// what ran on which machine.
type Info struct {
	Experiment string    `json:"experiment"`
	Run        string    `json:"run"`        // run directory name, YYYYMMDD-HHMMSS
	Commit     string    `json:"commit"`     // git describe of the working tree ("+dirty" when modified)
	GoVersion  string    `json:"go_version"` // runtime.Version()
	OS         string    `json:"os"`
	Arch       string    `json:"arch"`
	CPUs       int       `json:"cpus"`
	CPUModel   string    `json:"cpu_model"`
	Host       string    `json:"host"`
	Started    time.Time `json:"started"`
	Ended      time.Time `json:"ended"`
	Command    []string  `json:"command"` // the argv that produced the run
	Seed       int64     `json:"seed"`    // the seed this run used (derived per repeat)
	Repeat     int       `json:"repeat"`  // which repeat, from 1
}
