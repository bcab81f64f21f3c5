"""geopy interface to the offline gazetteer, and the opt-in online fallback (never the network,
except the one test marked ``network``)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import geopy.exc
import pytest
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import AtlasError, GeocoderOffline, GeocoderRateLimited, GeocoderServiceError
from geo.gazetteer.geocoder import OfflineGeocoder
from geo.gazetteer.online import (
    RATE_LIMITER,
    ChainGeocoder,
    GeocoderConfigError,
    GeocoderTimedOut,
    OnlineGeocoder,
    RateLimiter,
    ResponseCache,
    geocode_with_fallback,
    location_to_candidate,
)


@pytest.fixture(scope="module")
def offline() -> OfflineGeocoder:
    return OfflineGeocoder()


# --------------------------------------------------------------------------- offline


def test_is_a_geopy_geocoder(offline: OfflineGeocoder) -> None:
    assert isinstance(offline, Geocoder)
    loc = offline.geocode("Tapachula")
    assert isinstance(loc, Location)
    assert loc.address == "Tapachula, Chiapas, Mexico"
    assert (loc.latitude, loc.longitude) == pytest.approx((14.90541, -92.25891))
    raw = loc.raw
    assert raw["geonameid"] == 3516266 and raw["kind"] == "city" and raw["country_code"] == "MX"
    assert raw["admin1"] == "MX.05" and raw["population"] > 300_000 and raw["feature_id"] is None
    assert "GeoNames" in raw["attribution"]


@pytest.mark.parametrize(
    ("query", "country_code", "admin1"),
    [
        ("Paris", "FR", "FR.11"),
        ("Paris, Texas", "US", "US.TX"),
        ("Paris, TX", "US", "US.TX"),
        ("Ciudad Hidalgo", "MX", "MX.16"),  # larger one first…
        ("Ciudad Hidalgo, Chiapas", "MX", "MX.05"),  # …unless qualified
        ("Escuintla, Chiapas, Mexico", "MX", "MX.05"),
        ("Escuintla, Guatemala", "GT", "GT.06"),
        ("San Ysidro, California", "US", "US.CA"),
        ("San Ysidro, New Mexico", "US", "US.NM"),
        ("Piedras Negras, Coahuila", "MX", "MX.07"),
        ("Tecún Umán", "GT", "GT.17"),
    ],
)
def test_qualified_queries(offline: OfflineGeocoder, query: str, country_code: str, admin1: str) -> None:
    loc = offline.geocode(query)
    assert loc is not None, query
    assert (loc.raw["country_code"], loc.raw["admin1"]) == (country_code, admin1)


def test_kind_ranking(offline: OfflineGeocoder) -> None:
    assert offline.geocode("Guatemala").raw["kind"] == "country"
    assert offline.geocode("U.S.").raw["country_code"] == "US"
    assert offline.geocode("Chiapas").raw["admin1"] == "MX.05"


def test_unknown_qualifier_is_ignored_and_unmatched_is_none(offline: OfflineGeocoder) -> None:
    assert offline.geocode("Tapachula, Xyzzyland").raw["geonameid"] == 3516266
    assert offline.geocode("Tapachula, Texas") is None
    assert offline.geocode("Xyzzyville") is None
    assert offline.geocode(" , ") is None


def test_list_limit_and_country_codes(offline: OfflineGeocoder) -> None:
    locs = offline.geocode("Paris", exactly_one=False, limit=3)
    assert isinstance(locs, list) and len(locs) == 3
    assert all(isinstance(loc, Location) for loc in locs)
    us = offline.geocode("Paris", exactly_one=False, country_codes=["us"])
    assert us and {loc.raw["country_code"] for loc in us} == {"US"}
    assert offline.geocode("Paris", country_codes="FR").raw["admin1"] == "FR.11"
    with pytest.raises(ValueError, match="0"):
        offline.geocode("Paris", exactly_one=False, limit=0)
    with pytest.raises(TypeError, match="42"):
        offline.geocode(42)  # type: ignore[arg-type]


def test_curated_features_in_raw(offline: OfflineGeocoder) -> None:
    eagle = offline.geocode("Eagle Pass", exactly_one=False)
    port = next(loc for loc in eagle if loc.raw["kind"] == "crossing")
    assert port.raw["feature_id"] == "port:2303" and port.raw["has_rail"] is True
    el_paso = offline.geocode("El Paso port of entry")
    assert el_paso.raw["feature_id"] == "port:2402" and el_paso.raw["has_rail"] is True
    assert offline.geocode("San Ysidro, CA").raw["has_rail"] is False
    robles = offline.geocode("Puente Rodolfo Robles")
    assert robles.raw["kind"] == "crossing" and robles.raw["country_pair"] == "MX-GT" and robles.raw["official"] is True
    border = offline.geocode("U.S.-Mexico border", country_codes="MX")  # borders match either country
    assert border.raw["feature_id"] == "border:US-MX"
    assert offline.geocode("Highway 200", kinds=["highway"]).raw["ref"] == "MEX-200"


def test_reverse_is_not_offered(offline: OfflineGeocoder) -> None:
    with pytest.raises(NotImplementedError, match="reverse"):
        offline.reverse("14.9, -92.26")


# --------------------------------------------------------------------------- online seams


class FakeTime:
    """clock/sleep pair: sleeping advances the clock instantly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeNominatim:
    """Stands in for the network: a queue of answers (lists) or exceptions per call."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, query: str, *, limit: int, country_codes: list[str] | None, language: str | None) -> list[dict[str, Any]]:
        self.calls.append(query)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


TAPACHULA_RAW = {
    "place_id": 1, "osm_type": "relation", "osm_id": 2, "lat": "14.9", "lon": "-92.26",
    "display_name": "Tapachula, Chiapas, México", "name": "Tapachula", "addresstype": "city",
    "class": "boundary", "type": "administrative", "address": {"country_code": "mx"},
}
UA = "caravan-atlas-tests/0.1 (tests@example.org)"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def limiter(fake_time: FakeTime) -> RateLimiter:
    return RateLimiter(1.0, clock=fake_time.clock, sleep=fake_time.sleep)


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    return ResponseCache(tmp_path / "nominatim.sqlite")


def make_online(fetch: Any, limiter: RateLimiter, cache: ResponseCache, **kw: Any) -> OnlineGeocoder:
    return OnlineGeocoder(UA, fetch=fetch, rate_limiter=limiter, cache=cache, **kw)


@pytest.mark.parametrize("ua", [None, "", "geopy/2.5.0", "my-application"])
def test_identifying_user_agent_required(ua: str | None, monkeypatch: pytest.MonkeyPatch, cache: ResponseCache) -> None:
    monkeypatch.delenv("ATLAS_NOMINATIM_USER_AGENT", raising=False)
    with pytest.raises(GeocoderConfigError, match="user agent"):
        OnlineGeocoder(ua, fetch=FakeNominatim([]), cache=cache)


def test_user_agent_from_environment(monkeypatch: pytest.MonkeyPatch, cache: ResponseCache) -> None:
    monkeypatch.setenv("ATLAS_NOMINATIM_USER_AGENT", UA)
    g = OnlineGeocoder(fetch=FakeNominatim([]), cache=cache)
    assert g.headers["User-Agent"] == UA
    assert g.limiter is RATE_LIMITER  # the one process-wide limiter by default


def test_results_cached_on_disk(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache, tmp_path: Path) -> None:
    fake = FakeNominatim([TAPACHULA_RAW])
    g = make_online(fake, limiter, cache)
    loc = g.geocode("Tapachula")
    assert loc.address == "Tapachula, Chiapas, México" and loc.raw["source"] == "nominatim"
    assert "OpenStreetMap" in loc.raw["attribution"]
    assert g.geocode("  Tapachula ") is not None
    assert g.geocode("Tapachula", exactly_one=False)[0].latitude == pytest.approx(14.9)
    assert fake.calls == ["Tapachula"]
    # a new process (new cache handle on the same file) does not ask again either
    fake2 = FakeNominatim(AssertionError("must not be called"))
    g2 = make_online(fake2, limiter, ResponseCache(tmp_path / "nominatim.sqlite"))
    assert g2.geocode("Tapachula").raw["osm_id"] == 2 and fake2.calls == []
    cand = location_to_candidate(loc)
    assert (cand.kind, cand.country_code, cand.source, cand.feature_id) == ("city", "MX", "nominatim", "osm:relation/2")


def test_genuine_empty_answer_is_cached(limiter: RateLimiter, cache: ResponseCache) -> None:
    fake = FakeNominatim([])
    g = make_online(fake, limiter, cache)
    assert g.geocode("Nowhere at all") is None
    assert g.geocode("Nowhere at all") is None
    assert fake.calls == ["Nowhere at all"] and len(cache) == 1


@pytest.mark.parametrize(
    ("error", "ours"),
    [
        (geopy.exc.GeocoderUnavailable("no route to host"), GeocoderOffline),
        (geopy.exc.GeocoderTimedOut("read timed out"), GeocoderTimedOut),
        (geopy.exc.GeocoderServiceError("HTTP 500"), GeocoderServiceError),
        (geopy.exc.GeocoderRateLimited("429", retry_after=3), GeocoderRateLimited),
    ],
)
def test_errors_are_raised_and_never_cached(limiter: RateLimiter, cache: ResponseCache, error: Exception, ours: type) -> None:
    # 429 and timeouts are retried (max_retries=2); no network and errors without an answer are not
    tries = 3 if isinstance(error, (geopy.exc.GeocoderRateLimited, geopy.exc.GeocoderTimedOut)) else 1
    fake = FakeNominatim(*[error] * tries, [TAPACHULA_RAW])
    g = make_online(fake, limiter, cache)
    with pytest.raises(ours, match="Tapachula") as info:
        g.geocode("Tapachula")
    assert isinstance(info.value, AtlasError) and info.value.__cause__ is error
    assert len(fake.calls) == tries and len(cache) == 0
    assert len(str(info.value).splitlines()) == 1
    assert g.geocode("Tapachula").raw["osm_id"] == 2  # the next genuine answer is used and cached
    assert len(cache) == 1


def test_offline_is_a_connection_error_and_timeout_a_timeout(limiter: RateLimiter, cache: ResponseCache) -> None:
    with pytest.raises(ConnectionError):
        make_online(FakeNominatim(geopy.exc.GeocoderUnavailable("x")), limiter, cache).geocode("a")
    with pytest.raises(TimeoutError):
        make_online(FakeNominatim(geopy.exc.GeocoderTimedOut("x")), limiter, cache).geocode("b")


def test_rate_limit_one_per_second_across_instances(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache) -> None:
    a = make_online(FakeNominatim([TAPACHULA_RAW]), limiter, cache)
    b = make_online(FakeNominatim([TAPACHULA_RAW]), limiter, cache)
    a.geocode("one")
    b.geocode("two")
    a.geocode("three")
    assert fake_time.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]
    fake_time.now += 5  # idle time counts: no wait after a pause
    b.geocode("four")
    assert len(fake_time.sleeps) == 2
    a.geocode("one")  # cache hit: no wait, no request
    assert len(fake_time.sleeps) == 2


def test_rate_limiter_across_threads(fake_time: FakeTime, limiter: RateLimiter) -> None:
    slots: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        limiter.wait()
        with lock:
            slots.append(fake_time.clock())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slots.sort()
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(slots, slots[1:]))
    assert sum(fake_time.sleeps) == pytest.approx(5.0)


def test_429_backs_off_then_succeeds(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache) -> None:
    fake = FakeNominatim(geopy.exc.GeocoderRateLimited("429", retry_after=7), [TAPACHULA_RAW])
    g = make_online(fake, limiter, cache)
    assert g.geocode("Tapachula").raw["osm_id"] == 2
    assert fake_time.sleeps == [pytest.approx(7.0)]
    assert len(fake.calls) == 2


def test_429_gives_up_with_retry_after(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache) -> None:
    fake = FakeNominatim(geopy.exc.GeocoderRateLimited("429", retry_after=None))
    g = make_online(fake, limiter, cache, max_retries=2)
    with pytest.raises(GeocoderRateLimited) as info:
        g.geocode("Tapachula")
    assert info.value.retry_after == pytest.approx(8.0)  # 2, 4, 8 s exponential backoff
    assert fake_time.sleeps == [pytest.approx(2.0), pytest.approx(4.0)]
    assert len(fake.calls) == 3 and len(cache) == 0


class FakeAdapter(BaseSyncAdapter):
    """A geopy adapter answering from memory: exercises geopy's own Nominatim code offline."""

    responses: list[Any] = []
    urls: list[str] = []

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        FakeAdapter.urls.append(url)
        assert headers["User-Agent"] == UA
        r = FakeAdapter.responses.pop(0)
        if isinstance(r, BaseException):
            raise r
        return r

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return json.dumps(self.get_json(url, timeout=timeout, headers=headers))


def test_real_nominatim_code_with_fake_adapter(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache) -> None:
    FakeAdapter.urls = []
    FakeAdapter.responses = [
        # real adapters: case-insensitive headers
        AdapterHTTPError("Too Many Requests", status_code=429, headers={"retry-after": "4"}, text=""),
        [TAPACHULA_RAW],
    ]
    g = OnlineGeocoder(UA, rate_limiter=limiter, cache=cache, adapter_factory=FakeAdapter)
    loc = g.geocode("Tapachula", country_codes="MX")
    assert loc.raw["osm_id"] == 2
    assert fake_time.sleeps == [pytest.approx(4.0)]  # Retry-After honoured
    assert "countrycodes=mx" in FakeAdapter.urls[-1] and "q=Tapachula" in FakeAdapter.urls[-1]
    FakeAdapter.responses = [AdapterHTTPError("Server Error", status_code=500, headers={}, text="")] * 3
    with pytest.raises(GeocoderServiceError, match="HTTP 500"):
        g.geocode("Somewhere else")
    assert fake_time.sleeps[-2:] == [pytest.approx(2.0), pytest.approx(4.0)]  # 5xx backed off, then given up


# --------------------------------------------------------------------------- chain


def test_chain_prefers_offline(offline: OfflineGeocoder, limiter: RateLimiter, cache: ResponseCache) -> None:
    fake = FakeNominatim([TAPACHULA_RAW])
    chain = ChainGeocoder(offline, make_online(fake, limiter, cache))
    assert chain.geocode("Tapachula").raw["source"] == "geonames"
    assert fake.calls == []
    assert chain.geocode("Xyzzyville").raw["source"] == "nominatim"
    assert fake.calls == ["Xyzzyville"]


def test_chain_without_online(offline: OfflineGeocoder) -> None:
    assert ChainGeocoder(offline).geocode("Xyzzyville") is None


def test_fallback_is_off_by_default(monkeypatch: pytest.MonkeyPatch, limiter: RateLimiter, cache: ResponseCache) -> None:
    monkeypatch.delenv("ATLAS_ONLINE", raising=False)
    fake = FakeNominatim([TAPACHULA_RAW])
    og = make_online(fake, limiter, cache)
    assert geocode_with_fallback("Xyzzyville", online_geocoder=og) is None and fake.calls == []
    monkeypatch.setenv("ATLAS_ONLINE", "1")
    assert geocode_with_fallback("Xyzzyville", online_geocoder=og).raw["source"] == "nominatim"
    assert geocode_with_fallback("Tapachula", online=True, online_geocoder=og).raw["source"] == "geonames"


@pytest.mark.network
def test_one_real_nominatim_query(tmp_path: Path) -> None:
    g = OnlineGeocoder(UA, cache=ResponseCache(tmp_path / "c.sqlite"), timeout=20)
    loc = g.geocode("Tapachula, Chiapas")
    assert loc is not None and 14 < loc.latitude < 16 and -93 < loc.longitude < -91


def _http_error(cls: type, status: int) -> Exception:
    """A geopy error as geopy raises it for an HTTP answer: chained from AdapterHTTPError."""
    from geopy.adapters import AdapterHTTPError

    err = cls(f"HTTP {status}")
    err.__cause__ = AdapterHTTPError(f"HTTP {status}", status_code=status, headers={}, text="")
    return err


def test_503_and_timeouts_back_off_then_succeed(fake_time: FakeTime, limiter: RateLimiter, cache: ResponseCache) -> None:
    fake = FakeNominatim(_http_error(geopy.exc.GeocoderUnavailable, 503), geopy.exc.GeocoderTimedOut("slow"),
                         [TAPACHULA_RAW])
    g = make_online(fake, limiter, cache, max_retries=2)
    assert g.geocode("Tapachula").raw["osm_id"] == 2
    assert len(fake.calls) == 3
    assert fake_time.sleeps == [pytest.approx(2.0), pytest.approx(4.0)]  # backoff, never faster than 1/s
    assert len(cache) == 1  # only the genuine answer is cached


def test_503_gives_up_with_a_clear_error_and_caches_nothing(fake_time: FakeTime, limiter: RateLimiter,
                                                            cache: ResponseCache) -> None:
    fake = FakeNominatim(_http_error(geopy.exc.GeocoderUnavailable, 503))
    g = make_online(fake, limiter, cache, max_retries=2)
    with pytest.raises(GeocoderServiceError, match="HTTP 503"):
        g.geocode("Tapachula")
    assert len(fake.calls) == 3 and len(cache) == 0
    # no network at all: fails at once (nothing to wait for), and is not a 'not found'
    offline = FakeNominatim(geopy.exc.GeocoderUnavailable("Name or service not known"))
    with pytest.raises(GeocoderOffline):
        make_online(offline, limiter, cache).geocode("Huixtla")
    assert len(offline.calls) == 1 and len(cache) == 0
