// Package textsim is general text similarity: the character-pair shingles of a text, the
// Jaccard similarity of two shingle sets and MinHash signatures to find similar texts without
// comparing every pair. The engine uses it to find near-duplicate public comments and to
// match clauses between draft versions; the thresholds that give a similarity a legal
// meaning are procedure's.
package textsim

import (
	"slices"
	"unicode"
)

// Shingles are the sorted, distinct hashes of text's character pairs (letters, digits and
// Han only, lower-cased): the features two texts are compared by. Pairs, because a changed
// character in a short text must change few features. A text of one such character has that
// character as its one shingle.
func Shingles(text string) []uint64 {
	var out []uint64
	var prev rune
	n := 0
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		r = unicode.ToLower(r)
		if n > 0 {
			out = append(out, mix64(uint64(prev)<<32|uint64(r)))
		}
		prev = r
		n++
	}
	if n == 1 {
		out = append(out, mix64(uint64(prev)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Jaccard is the similarity of two sorted shingle sets: shared over all; two empty sets are
// the same.
func Jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	both, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// Similarity is the Jaccard similarity of two texts' shingles, from 0 (no character pair in
// common) to 1 (the same pairs).
func Similarity(a, b string) float64 { return Jaccard(Shingles(a), Shingles(b)) }

// mix64 is the SplitMix64 finaliser: a fast, well-spread 64-bit hash of x. It is a bijection,
// so distinct character pairs never share a shingle.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
