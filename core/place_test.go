package core

import (
	"strings"
	"testing"
)

// Places as buyers write them by SMS, on Zalo and on the page's form:
// with and without accents, in any case, with the shop around the place.
func TestParsePlace(t *testing.T) {
	tests := []struct {
		text, district, commune string
	}{
		// The brief's own.
		{"cho Phuong 8", "TP Cà Mau", "Phường 8"},
		{"chợ Năm Căn", "Năm Căn", ""},
		{"tiem tap hoa o Song Doc", "Trần Văn Thời", "Sông Đốc"},
		{"siêu thị Co.op", "", ""},
		// Numbered wards, however they are typed.
		{"Chợ Phường 8", "TP Cà Mau", "Phường 8"},
		{"tạp hóa Tư Hùng, P.5, TP Cà Mau", "TP Cà Mau", "Phường 5"},
		{"shop online giao tới p9", "TP Cà Mau", "Phường 9"},
		{"cửa hàng F7 Cà Mau", "TP Cà Mau", "Phường 7"},
		{"đường Lý Thường Kiệt phường 6", "TP Cà Mau", "Phường 6"},
		{"PHUONG 1 TP CA MAU", "TP Cà Mau", "Phường 1"},
		{"phường8", "TP Cà Mau", "Phường 8"},
		{"phường 3 tp cà mau", "TP Cà Mau", ""}, // no Phường 3: the city still
		{"số 80 đường 3/2", "", ""},             // numbers alone name no ward
		{"p 10", "", ""},
		// Named wards and communes of the city.
		{"chợ Tắc Vân", "TP Cà Mau", "Tắc Vân"},
		{"tiệm vàng ở xã Lý Văn Lâm", "TP Cà Mau", "Lý Văn Lâm"},
		{"chợ Tân Thành", "TP Cà Mau", "Tân Thành"}, // a ward and a commune, one name
		{"xa tan thanh", "TP Cà Mau", "Tân Thành"},
		{"Hòa Thành, thành phố Cà Mau", "TP Cà Mau", "Hòa Thành"},
		// The city named alone, and the province.
		{"Co.opmart Cà Mau", "TP Cà Mau", ""},
		{"TPCM", "TP Cà Mau", ""},
		{"TP. Cà Mau", "TP Cà Mau", ""},
		{"chợ Đầm Dơi, tỉnh Cà Mau", "Đầm Dơi", ""},
		{"Năm Căn, Cà Mau", "Năm Căn", ""},
		{"hội chợ tỉnh Cà Mau", "", ""},
		// Towns, bare and with their word.
		{"tiệm tạp hóa ở Sông Đốc", "Trần Văn Thời", "Sông Đốc"},
		{"SONG DOC", "Trần Văn Thời", "Sông Đốc"},
		{"chợ thị trấn Sông Đốc, huyện Trần Văn Thời", "Trần Văn Thời", "Sông Đốc"},
		{"thị trấn Năm Căn", "Năm Căn", "Năm Căn"},
		{"TT Nam Can", "Năm Căn", "Năm Căn"},
		{"huyện Năm Căn", "Năm Căn", ""},
		{"chợ Cái Đôi Vàm", "Phú Tân", "Cái Đôi Vàm"},
		{"cho cai doi", "Phú Tân", "Cái Đôi Vàm"},
		{"bến tàu Rạch Gốc", "Ngọc Hiển", "Rạch Gốc"},
		{"tt dam doi", "Đầm Dơi", "Đầm Dơi"},
		{"chợ Đầm Dơi", "Đầm Dơi", ""},
		{"thi tran Cai Nuoc", "Cái Nước", "Cái Nước"},
		{"chợ Cái Nước", "Cái Nước", ""},
		{"tt thới bình", "Thới Bình", "Thới Bình"},
		{"xã Thới Bình", "Thới Bình", "Thới Bình"},
		{"Thới Bình", "Thới Bình", ""},
		{"thị trấn U Minh", "U Minh", "U Minh"},
		{"chợ U Minh", "U Minh", ""},
		{"thi tran tran van thoi", "Trần Văn Thời", "Trần Văn Thời"},
		{"huyen TVT", "Trần Văn Thời", ""},
		{"xã Phú Tân", "Phú Tân", "Phú Tân"},
		{"Phu Tan", "Phú Tân", ""},
		// Longest first: a name inside a longer one is the longer one's.
		{"chợ Tân Hưng Tây", "Phú Tân", "Tân Hưng Tây"},
		{"chợ Tân Hưng", "Cái Nước", "Tân Hưng"},
		{"Tân Hưng Đông, Cái Nước", "Cái Nước", "Tân Hưng Đông"},
		{"tam giang tay", "Ngọc Hiển", "Tam Giang Tây"},
		{"Tam Giang", "Năm Căn", "Tam Giang"},
		{"Tam Giang Đông", "Năm Căn", "Tam Giang Đông"},
		{"Khánh Bình Tây Bắc", "Trần Văn Thời", "Khánh Bình Tây Bắc"},
		{"khanh binh tay", "Trần Văn Thời", "Khánh Bình Tây"},
		{"Khánh Bình", "Trần Văn Thời", "Khánh Bình"},
		{"chợ Nguyễn Việt Khái", "Phú Tân", "Nguyễn Việt Khái"},
		{"chợ Việt Khái", "Phú Tân", "Việt Khái"},
		{"Tạ An Khương Nam", "Đầm Dơi", "Tạ An Khương Nam"},
		{"Quách Phẩm Bắc", "Đầm Dơi", "Quách Phẩm Bắc"},
		{"Biển Bạch Đông", "Thới Bình", "Biển Bạch Đông"},
		{"tan loc bac", "Thới Bình", "Tân Lộc Bắc"},
		{"Viên An Đông", "Ngọc Hiển", "Viên An Đông"},
		{"Tân Ân Tây", "Ngọc Hiển", "Tân Ân Tây"},
		{"du lịch Mũi Cà Mau", "Ngọc Hiển", "Đất Mũi"},
		{"Đất Mũi", "Ngọc Hiển", "Đất Mũi"},
		// Communes of every district.
		{"tạp hóa Khánh Lâm", "U Minh", "Khánh Lâm"},
		{"Nguyễn Phích", "U Minh", "Nguyễn Phích"},
		{"chợ Hồ Thị Kỷ", "Thới Bình", "Hồ Thị Kỷ"},
		{"Trí Phải", "Thới Bình", "Trí Phải"},
		{"chợ Phong Điền", "Trần Văn Thời", "Phong Điền"},
		{"Khánh Hưng", "Trần Văn Thời", "Khánh Hưng"},
		{"Lương Thế Trân", "Cái Nước", "Lương Thế Trân"},
		{"chợ Hưng Mỹ", "Cái Nước", "Hưng Mỹ"},
		{"Ngọc Chánh", "Đầm Dơi", "Ngọc Chánh"},
		{"Tân Duyệt, Đầm Dơi", "Đầm Dơi", "Tân Duyệt"},
		{"Hàm Rồng", "Năm Căn", "Hàm Rồng"},
		{"chợ Hàng Vịnh", "Năm Căn", "Hàng Vịnh"},
		{"Rạch Chèo", "Phú Tân", "Rạch Chèo"},
		{"Việt Thắng", "Phú Tân", "Việt Thắng"},
		{"Viên An", "Ngọc Hiển", "Viên An"},
		// The first commune named settles it; a commune beats a district.
		{"mua ở chợ Phường 7, hàng nói từ Năm Căn", "TP Cà Mau", "Phường 7"},
		{"Sông Đốc hoặc Rạch Gốc", "Trần Văn Thời", "Sông Đốc"},
		{"Cái Nước hay Đầm Dơi", "Cái Nước", ""},
		// A honey named after the forest is not bought in U Minh.
		{"Mật ong U Minh Hạ, mua ở chợ Phường 2", "TP Cà Mau", "Phường 2"},
		{"mật ong rừng U Minh Hạ", "", ""},
		// Places that are not in the list.
		{"siêu thị Co.op", "", ""},
		{"Bạc Liêu", "", ""},
		{"chợ Bến Thành, TP HCM", "", ""},
		{"mua trên Shopee", "", ""},
		{"", "", ""},
		{"   ", "", ""},
		{"🍯 !!!", "", ""},
		{strings.Repeat("chợ ", 200) + "Năm Căn", "Năm Căn", ""},
	}
	for _, tt := range tests {
		district, commune := ParsePlace(tt.text)
		if district != tt.district || commune != tt.commune {
			t.Errorf("ParsePlace(%.60q) = %q, %q; want %q, %q", tt.text, district, commune, tt.district, tt.commune)
		}
	}
}

// A commune name two districts share is read only with its district.
func TestParsePlaceAmbiguous(t *testing.T) {
	places, err := ReadPlaces(strings.NewReader("# a list where two districts share a commune's name\n" +
		"Huyện A\tTân Lập\nHuyện A\tBình Minh\nHuyện B\tTân Lập\nHuyện B\tHòa Bình\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, district, commune string }{
		{"chợ Tân Lập", "", ""},
		{"chợ Tân Lập, huyện B", "Huyện B", "Tân Lập"},
		{"Huyen A, Tan Lap", "Huyện A", "Tân Lập"},
		{"chợ Tân Lập gần Hòa Bình", "Huyện B", "Hòa Bình"},
		{"Bình Minh", "Huyện A", "Bình Minh"},
	} {
		district, commune := places.Parse(tt.text)
		if district != tt.district || commune != tt.commune {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", tt.text, district, commune, tt.district, tt.commune)
		}
	}
}

// The embedded list reads, holds every district and its towns, and a
// list that is wrong is refused.
func TestPlacesList(t *testing.T) {
	p := camau()
	districts := map[string]int{}
	for _, refs := range p.names {
		for _, r := range refs {
			if r.commune != "" {
				districts[r.district]++
			}
		}
	}
	for _, d := range []string{"TP Cà Mau", "Thới Bình", "U Minh", "Trần Văn Thời", "Cái Nước", "Đầm Dơi", "Năm Căn", "Phú Tân", "Ngọc Hiển"} {
		if districts[d] < 5 {
			t.Errorf("district %s has %d names of communes", d, districts[d])
		}
	}
	if len(districts) != 9 {
		t.Errorf("%d districts: %v", len(districts), districts)
	}
	for _, bad := range []string{
		"TP Cà Mau\n",
		"TP Cà Mau\tPhường 1\nTP Cà Mau\tPhường 1\n",
		"\tPhường 1\n",
		"-\tPhường 1\n",
		"TP Cà Mau\t\n",
		"A\tB\tC\tD\n",
		"A\tB\t~C\n",
	} {
		if _, err := ReadPlaces(strings.NewReader(bad)); err == nil {
			t.Errorf("list %q was read", bad)
		}
	}
}
