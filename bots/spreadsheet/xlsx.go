package spreadsheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxUnpacked bounds the bytes read out of one workbook's zip, whatever its
// headers claim: XML compresses about tenfold, a zip bomb a thousandfold.
const maxUnpacked = 128 << 20

// Relationship types, by their last segment: the transitional and the
// strict OOXML namespaces differ only before it.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
	relStyles         = "/styles"
)

// pkg is an opened .xlsx: its parts by name and what may still be unzipped.
type pkg struct {
	parts map[string]*zip.File
	left  int64
}

func readXLSX(data []byte) (*Table, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, damaged("zip", err)
	}
	p := &pkg{parts: make(map[string]*zip.File), left: maxUnpacked}
	for _, f := range zr.File {
		// Part names are case-insensitive (OPC); some writers use "\".
		p.parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}

	wbPath := "xl/workbook.xml"
	if rels, err := p.rels(""); err == nil {
		if t := rels.target(relOfficeDocument); t != "" {
			wbPath = t
		}
	} else if !errors.Is(err, errNoPart) {
		return nil, err
	}
	// A .docx, an .xlsb or an .ods has a main part too, just not this one.
	var wb xWorkbook
	if !strings.HasSuffix(wbPath, ".xml") {
		return nil, p.notWorkbook()
	}
	if err := p.decode(wbPath, &wb); errors.Is(err, errNoPart) {
		return nil, p.notWorkbook()
	} else if err != nil {
		return nil, err
	}
	if wb.XMLName.Local != "workbook" {
		return nil, p.notWorkbook()
	}
	rels, err := p.rels(wbPath)
	if err != nil {
		return nil, err
	}
	sheet := ""
	for _, s := range wb.Sheets {
		// A hidden sheet is not what the officer sees first.
		if s.State != "" && s.State != "visible" {
			continue
		}
		if r, ok := rels.byID(s.RID); ok && strings.HasSuffix(r.Type, relWorksheet) {
			sheet = r.abs
			break
		}
	}
	if sheet == "" {
		return nil, fmt.Errorf("%w (the workbook has no visible worksheet)", ErrEmpty)
	}

	var strs []string
	if t := p.find(rels, relSharedStrings, wbPath, "sharedStrings.xml"); t != "" {
		if strs, err = p.sharedStrings(t); err != nil {
			return nil, err
		}
	}
	var st styles
	if t := p.find(rels, relStyles, wbPath, "styles.xml"); t != "" {
		if st, err = p.styles(t); err != nil {
			return nil, err
		}
	}
	st.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	return p.sheet(sheet, strs, st)
}

// notWorkbook names the zip formats officers confuse with .xlsx.
func (p *pkg) notWorkbook() error {
	switch {
	case p.parts["xl/workbook.bin"] != nil:
		return fmt.Errorf("%w: this is an Excel binary workbook (.xlsb); save it as Excel Workbook (.xlsx) or CSV UTF-8 (.csv)", ErrUnsupported)
	case p.parts["content.xml"] != nil && p.parts["mimetype"] != nil:
		return fmt.Errorf("%w: this is an OpenDocument file (.ods); save it as Excel Workbook (.xlsx) or CSV UTF-8 (.csv)", ErrUnsupported)
	}
	return ErrUnsupported
}

// find is the part the workbook relates to by typ or, as some writers
// leave the relationship out, the part Excel would put beside it.
func (p *pkg) find(rels relations, typ, wbPath, usual string) string {
	if t := rels.target(typ); t != "" {
		return t
	}
	if t := path.Join(path.Dir(wbPath), usual); p.parts[strings.ToLower(t)] != nil {
		return t
	}
	return ""
}

var errNoPart = errors.New("part missing")

// open unzips a part, charging its size to the package's budget before a
// byte is inflated; archive/zip fails a part that inflates past its size.
func (p *pkg) open(name string) (io.ReadCloser, error) {
	f := p.parts[strings.ToLower(name)]
	if f == nil {
		return nil, damaged(name, errNoPart)
	}
	if f.UncompressedSize64 > uint64(p.left) {
		return nil, tooLarge("the workbook, once unzipped,", maxUnpacked)
	}
	p.left -= int64(f.UncompressedSize64)
	rc, err := f.Open()
	if err != nil {
		return nil, damaged(name, err)
	}
	return rc, nil
}

// decode reads a small part whole into v.
func (p *pkg) decode(name string, v any) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return damaged(name, err)
	}
	return nil
}

type xWorkbook struct {
	XMLName xml.Name
	Pr      struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		State string `xml:"state,attr"`
		RID   string `xml:"id,attr"` // r:id, in whichever namespace
	} `xml:"sheets>sheet"`
}

type xRel struct {
	ID         string `xml:"Id,attr"`
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr"`
	abs        string // Target as a part name
}

type relations []xRel

// rels reads the relationships of part source ("" for the package), with
// targets resolved to part names. A part without relationships has none.
func (p *pkg) rels(source string) (relations, error) {
	dir, file := path.Split(source)
	var x struct {
		Rels []xRel `xml:"Relationship"`
	}
	if err := p.decode(dir+"_rels/"+file+".rels", &x); err != nil {
		return nil, err
	}
	var rs relations
	for _, r := range x.Rels {
		if r.TargetMode == "External" || r.Target == "" {
			continue
		}
		if strings.HasPrefix(r.Target, "/") {
			r.abs = path.Clean(r.Target[1:])
		} else {
			r.abs = path.Join(dir, r.Target)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func (rs relations) byID(id string) (xRel, bool) {
	for _, r := range rs {
		if r.ID == id {
			return r, true
		}
	}
	return xRel{}, false
}

// target is the part of the first relationship of the given type.
func (rs relations) target(typ string) string {
	for _, r := range rs {
		if strings.HasSuffix(r.Type, typ) {
			return r.abs
		}
	}
	return ""
}
