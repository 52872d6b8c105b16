// Package quantile is the harness's one definition of a percentile, used by
// every number it reports (summary.json, report.md, timeseries.csv, the
// progress line, failover and recovery times, the design report): pN of n
// recorded values is the value at rank ceil(N/100 × n) in increasing order
// (at least rank 1): the smallest recorded value that at least N% of the
// values are at or below. It is HdrHistogram's definition (the reference implementation's
// getValueAtPercentile and the .hgrm percentile distribution) and the
// nearest-rank percentile of textbooks; p100 is the maximum and p50 of an
// even count is the lower of the two middle values, never an interpolation.
//
// hdrhistogram-go v1.4's ValueAtQuantile rounds the rank instead
// (round(N/100 × n)), which puts a tail percentile one value low: p99.9 of
// 599 values is its 598th, not the 599th. HDR asks it for a quantile whose
// rank is the same under either rule.
package quantile
