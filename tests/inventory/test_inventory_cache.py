"""The on-disk inventory cache: the same inventory as a fresh read, rebuilt after any edit or upgrade."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from lca.inventory import cache, read


def _amount(inventory, code="electricity_XX"):
    """The CO2 amount [kg] of the mini grid's first exchange."""
    return inventory.databases["background"].activities[code].exchanges[0].amount


@pytest.fixture
def fresh(monkeypatch):
    """No in-process cache, so every read goes to disk or to the YAML."""
    monkeypatch.setattr(read, "_CACHE", {})
    return read


def test_a_cached_read_equals_a_fresh_read_and_skips_the_yaml(fresh, mini_root, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    first = fresh.read_inventory(mini_root, cache_dir)
    assert len(list(cache_dir.glob("inventory-*.pickle"))) == 1
    fresh._CACHE.clear()

    def parse_again(*_):
        raise AssertionError("the YAML was parsed although the cache was valid")
    monkeypatch.setattr(fresh._Reader, "read", parse_again)
    second = fresh.read_inventory(mini_root, cache_dir)
    assert second is not first
    assert second.file_hashes == first.file_hashes
    assert _amount(second) == pytest.approx(_amount(first), rel=0) == pytest.approx(0.4, rel=1e-12)   # 400 g


def test_an_edit_to_a_data_file_rebuilds(fresh, mini_root, tmp_path):
    cache_dir = tmp_path / "cache"
    assert _amount(fresh.read_inventory(mini_root, cache_dir)) == pytest.approx(0.4)
    grid = mini_root / "background/grid.yaml"
    grid.write_text(grid.read_text().replace("amount: 400\n", "amount: 300\n", 1))
    fresh._CACHE.clear()
    assert _amount(fresh.read_inventory(mini_root, cache_dir)) == pytest.approx(0.3)


def test_an_upgrade_or_a_change_of_the_reading_code_changes_the_key(monkeypatch):
    hashes = {"background/grid.yaml": "0" * 64}
    base = cache.key(hashes)
    assert cache.key({"background/grid.yaml": "1" * 64}) != base
    monkeypatch.setattr(cache, "__version__", "99.0")
    upgraded = cache.key(hashes)
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_code_digest", lambda: "edited")
    assert len({base, upgraded, cache.key(hashes)}) == 3


def test_a_stale_key_or_a_corrupt_file_is_rebuilt_not_used(fresh, mini_root, tmp_path):
    cache_dir = tmp_path / "cache"
    inventory = fresh.read_inventory(mini_root, cache_dir)
    path = next(cache_dir.glob("inventory-*.pickle"))
    path.write_bytes(pickle.dumps(("another key", inventory)))
    assert cache.load(cache_dir, mini_root.resolve(), cache.key(inventory.file_hashes)) is None
    path.write_bytes(b"\x80\x05 truncated")
    fresh._CACHE.clear()
    assert _amount(fresh.read_inventory(mini_root, cache_dir)) == pytest.approx(0.4)
    key_now, _ = pickle.loads(path.read_bytes())
    assert key_now == cache.key(inventory.file_hashes)


def test_two_concurrent_first_runs_leave_one_valid_cache(mini_root, tmp_path):
    cache_dir = tmp_path / "cache"
    code = ("import sys; from lca.inventory import read_inventory; "
            "inv = read_inventory(sys.argv[1], sys.argv[2]); "
            "print(inv.databases['background'].activities['electricity_XX'].exchanges[0].amount)")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(mini_root), str(cache_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [float(out) for out, _ in outputs] == [pytest.approx(0.4)] * 2
    files = list(cache_dir.iterdir())
    assert len(files) == 1, files                      # no temporary left behind
    stored_key, inventory = pickle.loads(files[0].read_bytes())
    assert stored_key == cache.key(inventory.file_hashes)
