"""Links and system models check their structure: stages from the fixed vocabulary, known roles and kinds."""
import pytest

from lca.models import Link, ModelError, SystemModel, orbital


def test_a_link_with_a_stage_outside_the_vocabulary_is_refused():
    with pytest.raises(ModelError, match="unknown stage 'launch emissions'"):
        Link(("launch", "x"), 1.0, "launch emissions", "launch")


def test_a_link_with_an_unknown_role_is_refused():
    with pytest.raises(ModelError, match="unknown role 'rocket'"):
        Link(("launch", "x"), 1.0, "launcher manufacture", "launch", role="rocket")


def test_the_orbital_system_and_the_launch_link_are_found_by_kind_and_role():
    launch = Link(("launch", "leo_per_kg_x"), 0.1, "launcher manufacture", "launch", role="launch")
    orbit = SystemModel("orbit, test", "orbit", [Link(("gpu", "a"), 1.0, "accelerator and host embodied", "a"), launch])
    ground = SystemModel("terrestrial, FR", "terrestrial", [], grid="FR")
    assert orbital([ground, orbit]) is orbit                 # named by its kind, not its position
    assert orbit.link("launch") is launch
    with pytest.raises(ModelError, match="0 links with role 'launch'"):
        ground.link("launch")
    with pytest.raises(ModelError, match="expected one orbital system, got 0"):
        orbital([ground])
    with pytest.raises(ModelError, match="unknown kind 'lunar'"):
        SystemModel("moon", "lunar", [])
