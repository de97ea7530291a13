"""The systems catalogue is read once into types, and a malformed one is refused with the file and field."""
import shutil

import pytest
from conftest import INVENTORIES

from lca.inventory import InventoryError, read_inventory
from lca.inventory.catalogue import Launcher


@pytest.fixture(scope="module")
def catalogue():
    return read_inventory(INVENTORIES).catalogue


def test_the_catalogue_is_typed_and_matches_systems_yaml(catalogue):
    import yaml

    raw = yaml.safe_load((INVENTORIES / "systems.yaml").read_text())
    assert catalogue.defaults.grids == tuple(raw["defaults"]["grids"])
    assert catalogue.defaults.launcher == raw["defaults"]["launcher"]
    assert catalogue.accelerators == raw["accelerators"]
    assert catalogue.orbits == {name: entry["launch"] for name, entry in raw["orbits"].items()}
    v3 = catalogue.launchers["starship-v3"]
    assert isinstance(v3, Launcher) and v3.launch("sso") == raw["launchers"]["starship-v3"]["sso"]
    assert v3.reuse_parameters == tuple(raw["launchers"]["starship-v3"]["reuse_parameters"])
    assert catalogue.launchers["falcon-heavy"].reuse_parameters == ()


def test_an_unknown_default_is_refused_naming_the_file_and_key(tmp_path):
    root = shutil.copytree(INVENTORIES, tmp_path / "inventories")
    path = root / "systems.yaml"
    path.write_text(path.read_text().replace("  precision: bf16\n", "  precision: bf16\n  gird: US\n"))
    with pytest.raises(InventoryError) as err:
        read_inventory(root)
    text = str(err.value)
    assert "systems.yaml" in text and "unknown key(s) gird" in text


def test_support_roles_from_data():
    """Every support link of both systems comes from systems.yaml, none from a literal in the models."""
    import inspect

    from lca.inventory.catalogue import ORBIT_SUPPORT_ROLES, TERRESTRIAL_SUPPORT_ROLES
    from lca.models import orbit, terrestrial
    catalogue = read_inventory().catalogue
    assert sorted(catalogue.orbit_support) == sorted(ORBIT_SUPPORT_ROLES)
    assert sorted(catalogue.terrestrial_support) == sorted(TERRESTRIAL_SUPPORT_ROLES)
    for module, support in ((orbit, catalogue.orbit_support), (terrestrial, catalogue.terrestrial_support)):
        source = inspect.getsource(module)
        assert '("systems_support", "' not in source and '("launch", "' not in source, module.__name__
        for reference in support.values():
            database, code = reference.split(":")
            assert f'("{database}", "{code}")' not in source, reference


def test_terrestrial_support_is_validated_naming_the_file_and_role(tmp_path):
    root = shutil.copytree(INVENTORIES, tmp_path / "inventories")
    path = root / "systems.yaml"
    path.write_text(path.read_text().replace("  building: systems_support:data_centre_building\n",
                                             "  building: systems_support:no_such_building\n"))
    with pytest.raises(InventoryError) as err:
        read_inventory(root)
    assert "terrestrial_support 'building'" in str(err.value) and "no_such_building" in str(err.value)


def test_a_missing_or_unknown_orbit_support_is_refused_naming_the_file_and_role(tmp_path):
    root = shutil.copytree(INVENTORIES, tmp_path / "inventories")
    path = root / "systems.yaml"
    path.write_text(path.read_text().replace("  cold_plate: systems_support:cold_plate\n", "")
                    .replace("  reentry: launch:reentry_spacecraft_demise\n", "  reentry: launch:no_such_activity\n"))
    with pytest.raises(InventoryError) as err:
        read_inventory(root)
    text = str(err.value)
    assert "systems.yaml" in text and "expected exactly" in text and "cold_plate" in text
    assert "orbit_support 'reentry'" in text and "no_such_activity" in text
