package textsim

// MinHashes is the length of a MinHash signature; its values make MinHashBands bands of two,
// so two texts with Jaccard similarity s share a band with probability 1−(1−s²)^16: 0.9999 at
// s = 0.7, 0.5 at s = 0.2.
const MinHashes = 32

// MinHashBands is the number of bands of two values a signature is looked up by.
const MinHashBands = MinHashes / 2

// MinHash is the MinHash signature of a shingle set: for each of MinHashes seeded hashes, the
// least hash of any shingle. Two sets agree at a position with probability equal to their
// Jaccard similarity.
func MinHash(shingles []uint64) [MinHashes]uint64 {
	var sig [MinHashes]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, x := range shingles {
		for i := range sig {
			if h := mix64(x ^ minHashSeeds[i]); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

// BandKeys are the lookup keys of a signature's bands: texts that share a key are candidates
// for comparison. A key carries its band's number, so equal values in different bands do not
// meet.
func BandKeys(sig [MinHashes]uint64) [MinHashBands]uint64 {
	var keys [MinHashBands]uint64
	for b := range keys {
		keys[b] = (sig[2*b]*31+sig[2*b+1])*MinHashBands + uint64(b)
	}
	return keys
}

var minHashSeeds = func() [MinHashes]uint64 {
	var s [MinHashes]uint64
	x := uint64(0x6a09e667f3bcc908)
	for i := range s {
		x = mix64(x + uint64(i))
		s[i] = x
	}
	return s
}()
