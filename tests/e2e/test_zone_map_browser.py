"""亩均一张图 in Chromium: the demo zone's parcels drawn from their polygons on a canvas (no tiles, no request off
the server), the colour switch, a click through to the enterprise, and the same map as a card in the cockpit."""

from __future__ import annotations

import pytest
from e2e_browser import Browse
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAINTED = """el => {
  const canvas = el.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4 * 16) { if (data[i] > 0) { painted++; } }
  return painted;
}"""

LARGEST_PARCEL_PIXEL = """el => {
  const chart = window.echarts.getInstanceByDom(el);
  const option = chart.getOption();
  return fetch(el.dataset.zoneMap, {credentials: 'same-origin'}).then(r => r.json()).then(data => {
    const areas = data.geojson.features.map(f => {
      const ring = f.geometry.coordinates[0];
      const xs = ring.map(p => p[0]), ys = ring.map(p => p[1]);
      return [(Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys)), f.properties.name];
    }).sort((a, b) => b[0] - a[0]);
    const item = data.parcels.find(p => p.name === areas[0][1]);
    const pixel = chart.convertToPixel({seriesIndex: 0}, item.centre);
    return {x: pixel[0], y: pixel[1], href: item.href, series: option.series.length};
  });
}"""


def _drawn(tab: Browse, map_id: str) -> None:
    box = tab.page.locator(f"#{map_id}")
    expect(box.locator("canvas")).to_have_count(1)
    expect(box).not_to_have_class("text-danger")
    expect(box).to_have_attribute("data-chart-rendered", "1")
    assert box.evaluate(PAINTED) > 500  # the parcels are painted, not an empty canvas


def test_the_zone_map_draws_switches_colours_and_links_to_the_enterprise(browse) -> None:  # type: ignore[no-untyped-def]
    tab: Browse = browse("zone-map-")
    page = tab.page
    tab.log_in("leader")
    tab.goto("/land/map")
    expect(page.locator("h1")).to_contain_text("亩均一张图")
    _drawn(tab, "zone-map")
    expect(page.locator("#zone-map")).to_have_attribute("data-map-mode", "class")
    expect(page.locator("[data-map-legend='zone-map'] .map-swatch")).to_have_count(5)
    tab.shot("zone-map-class")

    page.locator("[data-map-modes='zone-map'] [data-map-mode='tax']").click()
    expect(page.locator("#zone-map")).to_have_attribute("data-map-mode", "tax")
    expect(page.locator("[data-map-modes='zone-map'] [data-map-mode='tax']")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-map-modes='zone-map'] [data-map-mode='status']").click()
    expect(page.locator("[data-map-legend='zone-map'] .map-swatch")).to_have_count(3)
    tab.shot("zone-map-status")

    target = page.locator("#zone-map").evaluate(LARGEST_PARCEL_PIXEL)
    box = page.locator("#zone-map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
    with page.expect_navigation():
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    assert tab.path == target["href"]
    tab.assert_clean()

    tab.goto("/")
    _drawn(tab, "cockpit-map")
    tab.shot("cockpit-zone-map")
