"""The words synthetic regions are made of: agencies, place names, programs and activities.

Plausible Indonesian names so the pages read like a real province; none of it describes a real
region. Every list is fixed: the generator draws from them with its seeded generator only.
"""

from __future__ import annotations

# The agencies every synthetic region has, before its kecamatan offices (one per kecamatan):
# 34 + KECAMATAN_PER_REGION = 40 OPDs. (code, name, short name, kind)
AGENCIES: list[tuple[str, str, str, str]] = [
    ("1.01", "Dinas Pendidikan", "Disdik", "dinas"),
    ("1.02", "Dinas Kesehatan", "Dinkes", "dinas"),
    ("1.02.01", "Rumah Sakit Umum Daerah", "RSUD", "lainnya"),
    ("1.03", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "dinas"),
    ("1.04", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", "dinas"),
    ("1.05", "Satuan Polisi Pamong Praja", "Satpol PP", "lainnya"),
    ("1.05.01", "Badan Penanggulangan Bencana Daerah", "BPBD", "badan"),
    ("1.06", "Dinas Sosial", "Dinsos", "dinas"),
    ("2.07", "Dinas Tenaga Kerja", "Disnaker", "dinas"),
    ("2.08", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", "dinas"),
    ("2.09", "Dinas Ketahanan Pangan", "Dishanpan", "dinas"),
    ("2.11", "Dinas Lingkungan Hidup", "DLH", "dinas"),
    ("2.12", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "dinas"),
    ("2.13", "Dinas Pemberdayaan Masyarakat dan Desa", "Dispermasdes", "dinas"),
    ("2.14", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", "dinas"),
    ("2.15", "Dinas Perhubungan", "Dishub", "dinas"),
    ("2.16", "Dinas Komunikasi dan Informatika", "Diskominfo", "dinas"),
    ("2.17", "Dinas Koperasi dan Usaha Kecil Menengah", "Dinkop UKM", "dinas"),
    ("2.18", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "dinas"),
    ("2.19", "Dinas Kepemudaan dan Olahraga", "Dispora", "dinas"),
    ("2.22", "Dinas Kebudayaan dan Pariwisata", "Disbudpar", "dinas"),
    ("2.23", "Dinas Perpustakaan dan Kearsipan", "Dispusip", "dinas"),
    ("3.25", "Dinas Perikanan", "Diskan", "dinas"),
    ("3.27", "Dinas Pertanian", "Distan", "dinas"),
    ("3.30", "Dinas Perdagangan", "Disdag", "dinas"),
    ("3.31", "Dinas Perindustrian", "Disperin", "dinas"),
    ("4.01", "Sekretariat Daerah", "Setda", "sekretariat"),
    ("4.02", "Sekretariat DPRD", "Setwan", "sekretariat"),
    ("5.01", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "badan"),
    ("5.02", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "badan"),
    ("5.03", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "badan"),
    ("5.05", "Badan Penelitian dan Pengembangan Daerah", "Balitbangda", "badan"),
    ("6.01", "Inspektorat Daerah", "Inspektorat", "lainnya"),
    ("8.01", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "badan"),
]

KECAMATAN_PER_REGION = 6
OPDS_PER_REGION = len(AGENCIES) + KECAMATAN_PER_REGION  # 40

# Place names are a prefix and a suffix ("Karang" + "rejo"): 16 x 16 names, more than enough
# distinct ones for a province's regions, kecamatan and kelurahan.
PLACE_PREFIXES = [
    "Karang",
    "Suka",
    "Tegal",
    "Sido",
    "Banyu",
    "Wono",
    "Kali",
    "Ngadi",
    "Mulyo",
    "Sri",
    "Rejo",
    "Sumber",
    "Watu",
    "Gunung",
    "Tirto",
    "Purwo",
]
PLACE_SUFFIXES = [
    "rejo",
    "mulyo",
    "asri",
    "sari",
    "harjo",
    "kerto",
    "jaya",
    "agung",
    "makmur",
    "luhur",
    "wangi",
    "dadi",
    "utomo",
    "sobo",
    "kusumo",
    "arum",
]

# Programs a work plan draws from: (name, outcome indicator, outcome unit).
PROGRAMS: list[tuple[str, str, str]] = [
    ("Program Perlindungan dan Jaminan Sosial", "Keluarga miskin terlindungi", "KK"),
    ("Program Pemberdayaan Sosial", "Keluarga miskin berdaya secara ekonomi", "KK"),
    ("Program Peningkatan Kesempatan Kerja", "Penganggur dari keluarga miskin bekerja", "orang"),
    ("Program Pemenuhan Upaya Kesehatan", "Penduduk miskin terlindungi jaminan kesehatan", "jiwa"),
    ("Program Pengembangan Perumahan", "Rumah tidak layak huni yang diperbaiki", "unit"),
    ("Program Pengelolaan Pendidikan", "Anak keluarga miskin tetap bersekolah", "siswa"),
    ("Program Pemberdayaan Usaha Mikro", "Usaha mikro keluarga miskin yang tumbuh", "unit"),
    ("Program Peningkatan Diversifikasi dan Ketahanan Pangan", "Keluarga rawan pangan", "KK"),
    ("Program Penyediaan Air Minum dan Sanitasi", "Rumah tangga dengan akses layak", "RT"),
    ("Program Pengendalian Penduduk", "Keluarga berencana dari keluarga miskin", "KK"),
    ("Program Penunjang Urusan Pemerintahan Daerah", "Layanan perangkat daerah yang tepat", "%"),
    ("Program Pemberdayaan Masyarakat Desa dan Kelurahan", "Kelompok masyarakat aktif", "kelompok"),
]

# Activities a program draws from: (name, output indicator, output unit, target group).
ACTIVITIES: list[tuple[str, str, str, str]] = [
    (
        "Bantuan usaha ekonomi produktif keluarga miskin",
        "Keluarga penerima bantuan usaha",
        "KK",
        "Keluarga miskin terdaftar DTKS",
    ),
    (
        "Pendampingan keluarga penerima manfaat PKH",
        "Keluarga didampingi",
        "KK",
        "Keluarga penerima PKH",
    ),
    (
        "Rehabilitasi sosial rumah tidak layak huni",
        "Rumah direhabilitasi",
        "unit",
        "Keluarga miskin penghuni rumah tidak layak huni",
    ),
    (
        "Pelatihan berbasis kompetensi bagi pencari kerja",
        "Peserta pelatihan lulus",
        "orang",
        "Pencari kerja dari keluarga miskin",
    ),
    (
        "Jaminan kesehatan daerah bagi warga miskin",
        "Warga miskin terdaftar Jamkesda",
        "jiwa",
        "Warga miskin non-PBI",
    ),
    (
        "Beasiswa bagi siswa dari keluarga miskin",
        "Siswa penerima beasiswa",
        "siswa",
        "Siswa dari keluarga miskin",
    ),
    (
        "Pendampingan usaha mikro perempuan",
        "Usaha mikro didampingi",
        "unit",
        "Perempuan kepala keluarga miskin",
    ),
    (
        "Penyediaan cadangan pangan bagi keluarga rawan pangan",
        "Keluarga penerima bantuan pangan",
        "KK",
        "Keluarga rawan pangan",
    ),
    (
        "Pembangunan sambungan air minum rumah tangga",
        "Sambungan rumah terpasang",
        "SR",
        "Rumah tangga miskin tanpa akses air minum",
    ),
    (
        "Pembangunan jamban sehat keluarga",
        "Jamban sehat terbangun",
        "unit",
        "Rumah tangga miskin tanpa jamban",
    ),
    (
        "Pelatihan kewirausahaan pemuda",
        "Pemuda terlatih",
        "orang",
        "Pemuda penganggur dari keluarga miskin",
    ),
    (
        "Pemberian makanan tambahan bagi balita gizi kurang",
        "Balita penerima makanan tambahan",
        "anak",
        "Balita dari keluarga miskin",
    ),
    (
        "Bantuan sarana produksi pertanian",
        "Petani penerima bantuan",
        "orang",
        "Petani gurem dari keluarga miskin",
    ),
    (
        "Pemutakhiran data terpadu kesejahteraan sosial",
        "Keluarga diverifikasi",
        "KK",
        "Keluarga terdaftar DTKS",
    ),
    (
        "Pelayanan administrasi kependudukan keliling",
        "Dokumen kependudukan terbit",
        "dokumen",
        "Warga miskin tanpa dokumen kependudukan",
    ),
    (
        "Padat karya infrastruktur lingkungan",
        "Hari orang kerja",
        "HOK",
        "Penganggur dari keluarga miskin",
    ),
]

FUNDING_SOURCES = ["apbd_kota", "apbd_provinsi", "apbn", "dak", "lainnya"]
FUNDING_WEIGHTS = [70, 10, 10, 8, 2]

ESTIMATE_BASIS = (
    "Perkiraan sintetis: jumlah sasaran dikalikan tingkat keberhasilan kegiatan serupa."
)
