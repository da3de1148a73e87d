"""Kota Magelang's OPDs (illustrative) and the demo data of ``load_magelang --demo``.

No authoritative list of the city's OPDs for 2016–2021 was found: the list
below is a plausible one and every OPD is stored with ``is_illustrative``.
Everything under DEMO_* is demo data (users, 2018 work plans, activities,
realisations, aspirations), stored with ``is_demo`` where the model has the
flag, and loaded only with ``--demo``.
"""

from __future__ import annotations

from typing import Any

OPDS: list[tuple[str, str, str, str]] = [
    ("1.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", "dinas"),
    ("1.02", "Dinas Kesehatan", "Dinkes", "dinas"),
    ("1.03", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "dinas"),
    ("1.04", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", "dinas"),
    ("1.06", "Dinas Sosial", "Dinsos", "dinas"),
    ("2.07", "Dinas Tenaga Kerja", "Disnaker", "dinas"),
    ("2.08", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", "dinas"),
    ("2.12", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "dinas"),
    ("2.16", "Dinas Komunikasi, Informatika dan Statistik", "Diskominsta", "dinas"),
    ("2.17", "Dinas Koperasi, UKM dan Perdagangan", "DKUKMP", "dinas"),
    ("4.01", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "badan"),
    ("4.02", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "badan"),
    ("7.01", "Kecamatan Magelang Selatan", "Kec. Magelang Selatan", "kecamatan"),
    ("7.02", "Kecamatan Magelang Utara", "Kec. Magelang Utara", "kecamatan"),
    ("7.03", "Kecamatan Magelang Tengah", "Kec. Magelang Tengah", "kecamatan"),
]

REVIEWER_GROUP = "Peninjau Bappeda"

# The one password of every demo login; README lists the logins.
DEMO_PASSWORD = "magelang2018"  # noqa: S105 - demo only; --demo is refused in production
# Every demo login's e-mail address is in this domain: how a demo login is recognised (and
# refused at sign-in with DJANGO_ENV=production, see magelang.signin).
DEMO_EMAIL_DOMAIN = "demo.magelangkota.go.id"

DEMO_USERS: list[tuple[str, str, str]] = [
    # username, full name, role: admin | reviewer (of the city) | reviewer:<region code> |
    # head:<OPD code> | area:<kelurahan>
    ("admin", "Administrator Portal", "admin"),
    ("bappeda", "Peninjau Bappeda", "reviewer"),
    ("bappeda.jateng", "Peninjau Bappeda Provinsi Jawa Tengah", "reviewer:33"),
    ("kepala.dinsos", "Kepala Dinas Sosial", "head:1.06"),
    ("kepala.disnaker", "Kepala Dinas Tenaga Kerja", "head:2.07"),
    ("kepala.dinkes", "Kepala Dinas Kesehatan", "head:1.02"),
    ("kepala.disperkim", "Kepala Dinas Perumahan dan Kawasan Permukiman", "head:1.04"),
    ("staf.magersari", "Staf Kelurahan Magersari", "area:Magersari"),
]

DEMO_YEAR = 2018

# Per OPD: status and programs; each activity: code, name, output indicator, target, unit,
# budget (Rp), funding source, kelurahan, target group, expected persons out of poverty,
# and the persons its realisations achieved per quarter. As in the portal, only an approved
# plan has realisations (the loader refuses any other): Dinas Sosial's plan is approved and
# reports its first quarter, Dinas Tenaga Kerja's waits for review, two are drafts.
DEMO_WORK_PLANS: list[dict[str, Any]] = [
    {
        "opd": "1.06",
        "status": "approved",
        "programs": [
            {
                "code": "1.06.01",
                "name": "Program Perlindungan dan Jaminan Sosial",
                "outcome_indicator": "Keluarga miskin yang keluar dari kemiskinan",
                "outcome_target": "250",
                "outcome_unit": "KK",
                "activities": [
                    {
                        "code": "1.06.01.001",
                        "name": "Bantuan usaha ekonomi produktif keluarga miskin",
                        "output_indicator": "Keluarga miskin penerima bantuan usaha",
                        "output_target": "300",
                        "output_unit": "KK",
                        "budget": "1250000000",
                        "funding_source": "apbd_kota",
                        "kelurahan": "Magersari",
                        "target_group": "Keluarga miskin terdaftar DTKS",
                        "persons": "600",
                        "achieved": {1: "150"},
                    },
                    {
                        "code": "1.06.01.002",
                        "name": "Pendampingan keluarga penerima manfaat PKH",
                        "output_indicator": "Keluarga didampingi",
                        "output_target": "450",
                        "output_unit": "KK",
                        "budget": "475000000",
                        "funding_source": "apbn",
                        "kelurahan": "Kramat Utara",
                        "target_group": "Keluarga penerima PKH",
                        "persons": "300",
                        "achieved": {1: "100"},
                    },
                    {
                        # No claim on the poverty indicator, no report yet: the activity that
                        # funds a demo aspiration not yet realised.
                        "code": "1.06.01.003",
                        "name": "Rehabilitasi sosial rumah tidak layak huni",
                        "output_indicator": "Rumah keluarga miskin direhabilitasi",
                        "output_target": "20",
                        "output_unit": "unit",
                        "budget": "300000000",
                        "funding_source": "apbd_kota",
                        "kelurahan": "Magersari",
                        "target_group": "Keluarga miskin penghuni rumah tidak layak huni",
                        "achieved": {},
                    },
                ],
            }
        ],
    },
    {
        "opd": "2.07",
        "status": "submitted",
        "programs": [
            {
                "code": "2.07.01",
                "name": "Program Peningkatan Kesempatan Kerja",
                "outcome_indicator": "Penganggur dari keluarga miskin yang bekerja",
                "outcome_target": "120",
                "outcome_unit": "orang",
                "activities": [
                    {
                        "code": "2.07.01.001",
                        "name": "Pelatihan berbasis kompetensi bagi pencari kerja miskin",
                        "output_indicator": "Peserta pelatihan lulus",
                        "output_target": "160",
                        "output_unit": "orang",
                        "budget": "820000000",
                        "funding_source": "apbd_kota",
                        "kelurahan": "Rejowinangun Utara",
                        "target_group": "Pencari kerja usia produktif dari keluarga miskin",
                        "persons": "400",
                        "achieved": {},
                    },
                ],
            }
        ],
    },
    {
        "opd": "1.02",
        "status": "draft",
        "programs": [
            {
                "code": "1.02.01",
                "name": "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat",
                "outcome_indicator": "Penduduk miskin terlindungi jaminan kesehatan",
                "outcome_target": "2500",
                "outcome_unit": "jiwa",
                "activities": [
                    {
                        "code": "1.02.01.001",
                        "name": "Jaminan kesehatan daerah bagi warga miskin",
                        "output_indicator": "Warga miskin terdaftar Jamkesda",
                        "output_target": "2500",
                        "output_unit": "jiwa",
                        "budget": "1900000000",
                        "funding_source": "apbd_kota",
                        "kelurahan": "Tidar Selatan",
                        "target_group": "Warga miskin non-PBI",
                        "persons": "200",
                        "achieved": {},
                    },
                ],
            }
        ],
    },
    {
        "opd": "1.04",
        "status": "draft",
        "programs": [
            {
                "code": "1.04.01",
                "name": "Program Pengembangan Perumahan",
                "outcome_indicator": "Rumah tidak layak huni yang diperbaiki",
                "outcome_target": "120",
                "outcome_unit": "unit",
                "activities": [
                    {
                        "code": "1.04.01.001",
                        "name": "Rehabilitasi rumah tidak layak huni",
                        "output_indicator": "Rumah direhabilitasi",
                        "output_target": "120",
                        "output_unit": "unit",
                        "budget": "1800000000",
                        "funding_source": "dak",
                        "kelurahan": "Wates",
                        "target_group": "Keluarga miskin penghuni RTLH",
                        "persons": "120",
                        "achieved": {},
                    },
                ],
            }
        ],
    },
]

DEMO_ASPIRATIONS: list[dict[str, Any]] = [
    {
        "reference": "USL-2018-0001",
        "forum": "musrenbang_kelurahan",
        "kelurahan": "Magersari",
        "title": "Modal usaha bagi keluarga miskin",
        "description": "Warga mengusulkan bantuan modal usaha bagi keluarga miskin.",
        "proposer": "Forum Musrenbang Kelurahan Magersari",
        "received_on": "2017-01-20",
        "status": "realised",
        "opd": "1.06",
        "activity": "1.06.01.001",
    },
    {
        "reference": "USL-2018-0002",
        "forum": "musrenbang_kecamatan",
        "kelurahan": "Rejowinangun Utara",
        "title": "Pelatihan kerja untuk pemuda",
        "description": "Pelatihan keterampilan bagi pemuda penganggur.",
        "proposer": "Forum Musrenbang Kecamatan Magelang Tengah",
        "received_on": "2017-02-14",
        "status": "accepted",
        "opd": "2.07",
        "activity": "2.07.01.001",
    },
    {
        "reference": "USL-2018-0003",
        "forum": "konsultasi_publik",
        "kelurahan": "Kedungsari",
        "title": "Pembangunan gedung serbaguna",
        "description": "Gedung pertemuan warga.",
        "proposer": "Warga RW 05 Kedungsari",
        "received_on": "2017-03-02",
        "status": "rejected",
        "rejection_code": "other",
        "rejection_reason": "Tidak berkaitan langsung dengan sasaran penurunan kemiskinan 2018.",
    },
    {
        "reference": "USL-2018-0004",
        "forum": "fgd",
        "kelurahan": "Tidar Utara",
        "title": "Posyandu lansia",
        "description": "Layanan kesehatan rutin bagi lansia.",
        "proposer": "FGD Kader Kesehatan",
        "received_on": "2017-03-10",
        "status": "received",
    },
    # Issued in the current format: one at each stage the first four do not show. A carried-over
    # one came from the 2017 intake (first_year) and kept its verification.
    {
        "reference": "MSR-2018-7QK4",
        "forum": "musrenbang_kelurahan",
        "kelurahan": "Magersari",
        "title": "Perbaikan saluran drainase lingkungan RW 07",
        "description": "Saluran tersumbat dan meluap setiap musim hujan.",
        "category": "infrastruktur",
        "priority": 1,
        "proposer": "Bapak Suyono",
        "proposer_kind": "person",
        "proposer_contact": "0813 2700 1122",
        "received_on": "2017-01-24",
        "status": "verified",
    },
    {
        "reference": "MSR-2018-5HBW",
        "forum": "musrenbang_kelurahan",
        "kelurahan": "Magersari",
        "title": "Perbaikan rumah tidak layak huni warga miskin",
        "description": "Delapan rumah warga miskin di RW 03 berdinding bambu lapuk.",
        "category": "sosial",
        "priority": 2,
        "proposer": "Ketua RW 03 Magersari",
        "received_on": "2017-01-24",
        "status": "funded",
        "opd": "1.06",
        "activity": "1.06.01.003",
    },
    {
        "reference": "KP-2018-3MFX",
        "forum": "konsultasi_publik",
        "kelurahan": "Tidar Selatan",
        "title": "Pemeriksaan kesehatan gratis bagi lansia miskin",
        "description": "Pemeriksaan rutin di posyandu lansia bagi warga miskin.",
        "category": "kesehatan",
        "priority": 2,
        "proposer": "Paguyuban Lansia Tidar Selatan",
        "received_on": "2017-02-20",
        "status": "recommended",
        "opd": "1.02",
    },
    {
        "reference": "FGD-2018-9TNC",
        "forum": "fgd",
        "kelurahan": "Wates",
        "title": "Pembangunan rumah susun sederhana",
        "description": "Rumah susun bagi keluarga miskin tanpa rumah.",
        "category": "infrastruktur",
        "proposer": "FGD Perumahan Rakyat",
        "received_on": "2017-03-15",
        "status": "rejected",
        "opd": "1.04",
        "rejection_code": "over_budget",
        "rejection_reason": "Biaya melampaui pagu indikatif Disperkim 2018.",
    },
    {
        "reference": "MSR-2017-K2WD",
        "forum": "musrenbang_kecamatan",
        "kelurahan": "Magersari",
        "title": "Pelatihan pengolahan sampah menjadi kompos",
        "description": "Diusulkan untuk 2017, belum didanai, dibawa ke 2018.",
        "category": "lingkungan",
        "priority": 3,
        "proposer": "Kelompok Wanita Tani Magersari",
        "received_on": "2016-02-10",
        "first_year": 2017,
        "status": "verified",
    },
]
