package audit

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"slices"

	"golang.org/x/mod/sumdb/note"
)

// read takes every file of the ZIP. A file stored uncompressed is its bytes in zipData, not a
// copy, and its CRC-32 is checked with its hash (sumFiles), whose CRC-32 it returns; a
// compressed file is read here, and its CRC-32 checked as it is.
func (v *verifier) read(z *zip.Reader, zipData []byte) map[string]uint32 {
	stored := map[string]uint32{}
	for _, f := range z.File {
		if b, ok := storedEntry(f, zipData); ok {
			v.files[f.Name], stored[f.Name] = b, f.CRC32
			continue
		}
		b, err := readEntry(f)
		if err != nil {
			v.unreadable[f.Name] = err
			continue
		}
		v.files[f.Name] = b
	}
	return stored
}

// storedEntry is an entry stored uncompressed, sliced from the archive.
func storedEntry(f *zip.File, zipData []byte) ([]byte, bool) {
	if f.Method != zip.Store || f.CompressedSize64 != f.UncompressedSize64 {
		return nil, false
	}
	off, err := f.DataOffset()
	if err != nil || off < 0 || uint64(len(zipData)-int(off)) < f.CompressedSize64 {
		return nil, false
	}
	return zipData[off : off+int64(f.CompressedSize64)], true
}

// sumFiles hashes every file with SHA-256, but an excerpt's records (see proofBinds), and
// checks the CRC-32 of those stored, on every core. It returns the hashes and the stored files
// whose CRC-32 differs: unreadable, as a compressed one would be.
func (v *verifier) sumFiles(stored map[string]uint32) (map[string]string, []string) {
	names := slices.Collect(maps.Keys(v.files))
	slices.SortFunc(names, func(a, b string) int { return len(v.files[b]) - len(v.files[a]) })
	sums := make([]string, len(names))
	crcOK := make([]bool, len(names))
	parallel(2*len(names), func(i int) {
		name := names[i/2]
		if i%2 == 0 {
			if name != RecordsFile {
				h := sha256.Sum256(v.files[name])
				sums[i/2] = hex.EncodeToString(h[:])
			}
			return
		}
		crc, isStored := stored[name]
		crcOK[i/2] = !isStored || crc32.ChecksumIEEE(v.files[name]) == crc
	})
	out := make(map[string]string, len(names))
	var corrupt []string
	for i, name := range names {
		if sums[i] != "" {
			out[name] = sums[i]
		}
		if !crcOK[i] {
			corrupt = append(corrupt, name)
		}
	}
	return out, corrupt
}

// reportRead names every entry that did not read back intact.
func (v *verifier) reportRead(n int) {
	var bad []string
	for name, err := range v.unreadable {
		bad = append(bad, name+" ("+err.Error()+")")
	}
	v.report(bad, fmt.Sprintf("压缩包中 %d 个文件完整可读", n), fmt.Sprintf("the %d files of the ZIP read intact", n))
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// manifest checks the signed manifest, then every file's hash against it (against
// manifest.json when it is not signed, which fails on its own).
func (v *verifier) manifest(key string) {
	signed, err := openManifest(v.files[SignedManifestFile], key)
	v.add(err == nil, "清单经账本密钥签名（"+SignedManifestFile+"）"+errSuffix(err),
		"the manifest is signed by the ledger key ("+SignedManifestFile+")"+errSuffix(err))
	var plain Manifest
	if json.Unmarshal(v.files[ManifestFile], &plain) != nil {
		plain = Manifest{}
		v.add(false, ManifestFile+" 缺失或无法读取", ManifestFile+" is missing or unreadable")
	}
	want := plain
	if err == nil {
		want = signed
		var differ []string
		for name, sum := range signed.Files {
			if plain.Files[name] != sum {
				differ = append(differ, name)
			}
		}
		for name := range plain.Files {
			if _, ok := signed.Files[name]; !ok {
				differ = append(differ, name)
			}
		}
		v.report(differ, ManifestFile+" 与签名清单一致", ManifestFile+" agrees with the signed manifest")
	}
	v.fileHashes(want, err == nil)
}

// fileHashes checks every file against the manifest want (signed or not), and that it lists
// every file.
func (v *verifier) fileHashes(want Manifest, signed bool) {
	var bad []string
	for name := range v.files {
		if _, listed := want.Files[name]; !listed && name != ManifestFile && name != SignedManifestFile {
			bad = append(bad, name+" (not listed)")
		}
	}
	for name, sum := range want.Files {
		if name == RecordsFile {
			continue
		}
		bad = append(bad, v.fileDiffers(name, sum)...)
	}
	if sum, listed := want.Files[RecordsFile]; listed {
		// See proofBinds: the proved records are the file the signed manifest lists.
		_, leaves := want.Files[LeavesFile]
		_, subtrees := want.Files[SubtreesFile]
		if !(signed && v.proofBinds && leaves && subtrees && len(bad) == 0) {
			bad = append(bad, v.fileDiffers(RecordsFile, sum)...)
		}
	}
	v.report(bad, fmt.Sprintf("清单中 %d 个文件的哈希", len(want.Files)), fmt.Sprintf("hashes of the %d files in the manifest", len(want.Files)))
}

// fileDiffers names a file that is unreadable, missing or not of the hash sum, hashing it if
// it was not.
func (v *verifier) fileDiffers(name, sum string) []string {
	got, hashed := v.sums[name]
	content, present := v.files[name]
	if !hashed && present {
		h := sha256.Sum256(content)
		got = hex.EncodeToString(h[:])
	}
	switch {
	case v.unreadable[name] != nil:
		return []string{name + " (unreadable)"}
	case !present:
		return []string{name + " (missing)"}
	case got != sum:
		return []string{name + " (hash differs from the manifest)"}
	}
	return nil
}

func openManifest(signed []byte, key string) (Manifest, error) {
	if signed == nil {
		return Manifest{}, fmt.Errorf("%s is missing", SignedManifestFile)
	}
	verifier, err := note.NewVerifier(key)
	if err != nil {
		return Manifest{}, fmt.Errorf("public key: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(verifier))
	if err != nil {
		return Manifest{}, err
	}
	return parseManifest(n.Text)
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}
