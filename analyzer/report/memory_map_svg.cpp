#include "report/memory_map_svg.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "util/human_size.hpp"

namespace bootmap {
namespace {

// Columns, left to right: address axis, NUMA band, the three lanes, findings, legend.
constexpr double kTop = 56;
constexpr double kAxisRight = 150;
constexpr double kNumaX = 158, kNumaW = 46;
constexpr double kLaneX = 212, kLaneW = 230, kLaneGap = 8;
constexpr double kFindingX = kLaneX + 3 * (kLaneW + kLaneGap), kFindingW = 26;
constexpr double kLegendX = kFindingX + kFindingW + 24;
constexpr double kWidth = kLegendX + 300;
constexpr double kLinearHeight = 1400;
constexpr double kLabelGap = 11;  // the least vertical room an address label needs

constexpr std::array<std::string_view, kMapKindCount> kFill{"#66bb6a", "#9e9e9e", "#455a64", "#42a5f5", "#ab47bc",
                                                           "#26a69a", "#ffb74d", "#8d6e63", "#ffffff", "#e53935"};

// The y of every boundary address under both scales.
struct Axis {
    std::vector<std::uint64_t> bounds;
    std::vector<double> linear;
    std::vector<double> log;

    [[nodiscard]] std::size_t index(std::uint64_t address) const {
        return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), address) - bounds.begin());
    }
    [[nodiscard]] const std::vector<double>& of(MapScale scale) const { return scale == MapScale::log ? log : linear; }
    [[nodiscard]] double height(MapScale scale) const { return of(scale).empty() ? kTop : of(scale).back(); }
};

Axis make_axis(const MemoryMap& map) {
    Axis axis;
    const auto add = [&](const AddrRange& r) {
        axis.bounds.push_back(r.begin().value());
        axis.bounds.push_back(r.end().value());
    };
    for (const auto& r : map.regions) add(r.range);
    for (const auto& n : map.nodes) add(n.range);
    for (const auto& m : map.markers) add(m.range);
    std::sort(axis.bounds.begin(), axis.bounds.end());
    axis.bounds.erase(std::unique(axis.bounds.begin(), axis.bounds.end()), axis.bounds.end());
    if (axis.bounds.empty()) return axis;
    const long double first = static_cast<long double>(axis.bounds.front());
    const long double whole = std::max<long double>(1, static_cast<long double>(axis.bounds.back()) - first);
    double y = kTop;
    for (std::size_t i = 0; i < axis.bounds.size(); ++i) {
        axis.linear.push_back(static_cast<double>(kTop + kLinearHeight * ((static_cast<long double>(axis.bounds[i]) - first) / whole)));
        if (i > 0) y += 6 + 4 * std::log2(1 + static_cast<double>(axis.bounds[i] - axis.bounds[i - 1]) / 4096.0);
        axis.log.push_back(y);
    }
    return axis;
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string range_text(const AddrRange& r) {
    return fmt::format("[{:#x}-{:#x}]", r.begin().value(), r.end().value() - 1);
}

// Sets y/height for the chosen scale and keeps both as data attributes for the page's toggle.
void place(pugi::xml_node el, const Axis& axis, MapScale scale, const AddrRange& range, double min_height = 1) {
    const std::size_t a = axis.index(range.begin().value()), b = axis.index(range.end().value());
    for (const MapScale s : {MapScale::linear, MapScale::log}) {
        const auto& ys = axis.of(s);
        const double y = ys[a], h = std::max(min_height, ys[b] - ys[a]);
        const char* prefix = s == MapScale::log ? "data-log-" : "data-lin-";
        el.append_attribute((std::string(prefix) + "y").c_str()) = num(y).c_str();
        el.append_attribute((std::string(prefix) + "h").c_str()) = num(h).c_str();
        if (s == scale) {
            el.append_attribute("y") = num(y).c_str();
            el.append_attribute("height") = num(h).c_str();
        }
    }
}

pugi::xml_node text(pugi::xml_node parent, double x, double y, std::string_view content, const char* cls) {
    auto t = parent.append_child("text");
    t.append_attribute("x") = num(x).c_str();
    t.append_attribute("y") = num(y).c_str();
    t.append_attribute("class") = cls;
    t.text().set(std::string(content).c_str());
    return t;
}

void title(pugi::xml_node parent, const std::string& content) { parent.append_child("title").text().set(content.c_str()); }

// Address labels at the boundaries, shown where there is room for them under each scale.
void draw_axis(pugi::xml_node svg, const Axis& axis, MapScale scale) {
    auto group = svg.append_child("g");
    group.append_attribute("class") = "axis";
    std::array<double, 2> last_shown{-1e9, -1e9};
    for (std::size_t i = 0; i < axis.bounds.size(); ++i) {
        auto t = text(group, kAxisRight - 4, axis.of(scale)[i] + 3, fmt::format("{:#x}", axis.bounds[i]), "address");
        for (const MapScale s : {MapScale::linear, MapScale::log}) {
            const std::size_t k = s == MapScale::log ? 1 : 0;
            const bool shown = axis.of(s)[i] - last_shown[k] >= kLabelGap;
            if (shown) last_shown[k] = axis.of(s)[i];
            t.append_attribute(s == MapScale::log ? "data-log-show" : "data-lin-show") = shown ? "1" : "0";
            t.append_attribute(s == MapScale::log ? "data-log-y" : "data-lin-y") = num(axis.of(s)[i] + 3).c_str();
            if (s == scale && !shown) t.append_attribute("display") = "none";
        }
    }
}

// A name inside a bar, where the bar is tall enough for it under each scale.
void label_inside(pugi::xml_node group, const Axis& axis, MapScale scale, const AddrRange& range, double x, const std::string& content) {
    const std::size_t a = axis.index(range.begin().value()), b = axis.index(range.end().value());
    auto t = text(group, x + 4, axis.of(scale)[a] + 11, content, "inside");
    for (const MapScale s : {MapScale::linear, MapScale::log}) {
        const bool fits = axis.of(s)[b] - axis.of(s)[a] >= 14;
        t.append_attribute(s == MapScale::log ? "data-log-show" : "data-lin-show") = fits ? "1" : "0";
        t.append_attribute(s == MapScale::log ? "data-log-y" : "data-lin-y") = num(axis.of(s)[a] + 11).c_str();
        if (s == scale && !fits) t.append_attribute("display") = "none";
    }
}

void draw_regions(pugi::xml_node svg, const MemoryMap& map, const Axis& axis, MapScale scale) {
    auto group = svg.append_child("g");
    group.append_attribute("class") = "regions";
    for (const auto& r : map.regions) {
        const double x = kLaneX + static_cast<double>(r.lane) * (kLaneW + kLaneGap);
        auto rect = group.append_child("rect");
        rect.append_attribute("class") = fmt::format("region kind-{} lane-{}", map_kind_name(r.kind), static_cast<int>(r.lane)).c_str();
        rect.append_attribute("x") = num(x).c_str();
        rect.append_attribute("width") = num(kLaneW).c_str();
        place(rect, axis, scale, r.range);
        rect.append_attribute("tabindex") = "0";
        rect.append_attribute("data-label") = r.label.c_str();
        rect.append_attribute("data-kind") = std::string(map_kind_name(r.kind)).c_str();
        rect.append_attribute("data-range") = range_text(r.range).c_str();
        rect.append_attribute("data-size") = human_size(r.range.size()).c_str();
        rect.append_attribute("data-detail") = r.detail.c_str();
        title(rect, fmt::format("{}\n{} {}\n{}", r.label, range_text(r.range), human_size(r.range.size()), r.detail));
    }
    auto labels = svg.append_child("g");
    labels.append_attribute("class") = "labels";
    for (const auto& r : map.regions)
        if (r.kind != MapKind::hole)
            label_inside(labels, axis, scale, r.range, kLaneX + static_cast<double>(r.lane) * (kLaneW + kLaneGap),
                         fmt::format("{} ({})", r.label, human_size(r.range.size())));
}

void draw_nodes(pugi::xml_node svg, const MemoryMap& map, const Axis& axis, MapScale scale) {
    auto group = svg.append_child("g");
    group.append_attribute("class") = "numa";
    for (const auto& n : map.nodes) {
        auto rect = group.append_child("rect");
        rect.append_attribute("class") = fmt::format("node node-{}", n.nid % 2 ? "odd" : "even").c_str();
        rect.append_attribute("x") = num(kNumaX).c_str();
        rect.append_attribute("width") = num(kNumaW).c_str();
        place(rect, axis, scale, n.range);
        rect.append_attribute("data-label") = fmt::format("node {}", n.nid).c_str();
        rect.append_attribute("data-range") = range_text(n.range).c_str();
        rect.append_attribute("data-size") = human_size(n.range.size()).c_str();
        title(rect, fmt::format("NUMA node {}\n{} {}", n.nid, range_text(n.range), human_size(n.range.size())));
    }
    for (const auto& n : map.nodes) label_inside(group, axis, scale, n.range, kNumaX, fmt::format("node {}", n.nid));
}

void draw_markers(pugi::xml_node svg, const MemoryMap& map, const Axis& axis, MapScale scale) {
    auto group = svg.append_child("g");
    group.append_attribute("class") = "findings";
    for (const auto& m : map.markers) {
        auto rect = group.append_child("rect");
        rect.append_attribute("class") = fmt::format("finding severity-{}", severity_name(m.severity)).c_str();
        rect.append_attribute("x") = num(kFindingX).c_str();
        rect.append_attribute("width") = num(kFindingW).c_str();
        place(rect, axis, scale, m.range, 4);
        rect.append_attribute("tabindex") = "0";
        rect.append_attribute("data-label") = m.rule.c_str();
        rect.append_attribute("data-kind") = std::string(severity_name(m.severity)).c_str();
        rect.append_attribute("data-range") = range_text(m.range).c_str();
        rect.append_attribute("data-size") = human_size(m.range.size()).c_str();
        rect.append_attribute("data-detail") = fmt::format("{}: {}", m.where, m.message).c_str();
        title(rect, fmt::format("{}: {} [{}]\n{}", severity_name(m.severity), m.message, m.rule, m.where));
    }
}

void draw_frame(pugi::xml_node svg, const MemoryMap& map) {
    auto head = svg.append_child("g");
    head.append_attribute("class") = "headings";
    text(head, kAxisRight - 4, kTop - 12, "address", "heading address");
    text(head, kNumaX, kTop - 12, "NUMA", "heading");
    for (std::size_t lane = 0; lane < kMapLaneCount; ++lane)
        text(head, kLaneX + static_cast<double>(lane) * (kLaneW + kLaneGap), kTop - 12, map_lane_name(static_cast<MapLane>(lane)), "heading");
    text(head, kFindingX, kTop - 12, "findings", "heading");
    auto legend = svg.append_child("g");
    legend.append_attribute("class") = "legend";
    double y = kTop;
    std::array<bool, kMapKindCount> present{};
    for (const auto& r : map.regions) present[static_cast<std::size_t>(r.kind)] = true;
    for (std::size_t k = 0; k < kMapKindCount; ++k) {
        if (!present[k]) continue;
        auto swatch = legend.append_child("rect");
        swatch.append_attribute("class") = fmt::format("swatch kind-{}", map_kind_name(static_cast<MapKind>(k))).c_str();
        swatch.append_attribute("x") = num(kLegendX).c_str();
        swatch.append_attribute("y") = num(y).c_str();
        swatch.append_attribute("width") = "14";
        swatch.append_attribute("height") = "14";
        text(legend, kLegendX + 20, y + 11, map_kind_legend(static_cast<MapKind>(k)), "legend-text");
        y += 20;
    }
    if (map.omitted) {
        text(legend, kLegendX, y + 14, fmt::format("{} more regions not drawn", map.omitted), "legend-text");
        y += 20;
    }
    for (const auto& [rule, count] : map.omitted_markers) {
        text(legend, kLegendX, y + 14, fmt::format("{} more {} findings not drawn", count, rule), "legend-text");
        y += 20;
    }
}

std::string css() {
    std::string out =
        "text{font-family:sans-serif;font-size:10px;fill:#222}"
        ".address{text-anchor:end;font-family:monospace}.inside{pointer-events:none;font-size:9px}"
        ".heading{font-weight:bold;font-size:12px}"
        "rect.region{stroke:#333;stroke-width:0.4}rect.kind-hole{stroke-dasharray:3 2;fill:#fff}"
        "rect.node-even{fill:#c5cae9}rect.node-odd{fill:#ffe0b2}rect.node{stroke:#555;stroke-width:0.4}"
        "rect.finding{stroke:#000;stroke-width:0.6}rect.severity-error{fill:#d32f2f}rect.severity-warning{fill:#fbc02d}"
        "rect.severity-note{fill:#90caf9}rect.region:hover,rect.region:focus,rect.finding:hover{stroke:#000;stroke-width:2}";
    for (std::size_t k = 0; k < kMapKindCount; ++k)
        if (static_cast<MapKind>(k) != MapKind::hole) out += fmt::format("rect.kind-{}{{fill:{}}}", map_kind_name(static_cast<MapKind>(k)), kFill[k]);
    return out;
}

pugi::xml_document make_svg(const MemoryMap& map, MapScale scale) {
    const Axis axis = make_axis(map);
    pugi::xml_document doc;
    auto svg = doc.append_child("svg");
    const double height = axis.height(scale) + 24;
    svg.append_attribute("xmlns") = "http://www.w3.org/2000/svg";
    svg.append_attribute("class") = "bootmap-map";
    svg.append_attribute("width") = num(kWidth).c_str();
    svg.append_attribute("height") = num(height).c_str();
    svg.append_attribute("viewBox") = fmt::format("0 0 {} {}", num(kWidth), num(height)).c_str();
    svg.append_attribute("data-lin-height") = num(axis.height(MapScale::linear) + 24).c_str();
    svg.append_attribute("data-log-height") = num(axis.height(MapScale::log) + 24).c_str();
    svg.append_attribute("data-scale") = scale == MapScale::log ? "log" : "linear";
    title(svg, "bootmap memory map");
    svg.append_child("style").text().set(css().c_str());
    draw_frame(svg, map);
    draw_axis(svg, axis, scale);
    draw_nodes(svg, map, axis, scale);
    draw_regions(svg, map, axis, scale);
    draw_markers(svg, map, axis, scale);
    return doc;
}

std::string xml_text(const pugi::xml_node& node) {
    std::ostringstream out;
    node.print(out, "", pugi::format_raw | pugi::format_no_declaration);
    return out.str();
}

std::string escape_html(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// The page's behaviour: the scale toggle (also from the URL: #linear or #log) and the details panel.
constexpr std::string_view kScript = R"js(
(function () {
  'use strict';
  var svg = document.querySelector('svg.bootmap-map');
  var panel = document.getElementById('details');
  function apply(scale) {
    var key = scale === 'log' ? 'log' : 'lin';
    svg.querySelectorAll('rect[data-' + key + '-y]').forEach(function (el) {
      el.setAttribute('y', el.getAttribute('data-' + key + '-y'));
      el.setAttribute('height', el.getAttribute('data-' + key + '-h'));
    });
    svg.querySelectorAll('text[data-' + key + '-y]').forEach(function (el) {
      el.setAttribute('y', el.getAttribute('data-' + key + '-y'));
      el.style.display = el.getAttribute('data-' + key + '-show') === '1' ? '' : 'none';
    });
    var height = svg.getAttribute('data-' + key + '-height');
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', '0 0 ' + svg.getAttribute('width') + ' ' + height);
    svg.setAttribute('data-scale', scale);
    document.querySelectorAll('button[data-scale]').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-scale') === scale ? 'true' : 'false');
    });
    document.body.setAttribute('data-scale', scale);
  }
  function show(el) {
    ['label', 'kind', 'range', 'size', 'detail'].forEach(function (field) {
      panel.querySelector('[data-field="' + field + '"]').textContent = el.getAttribute('data-' + field) || '';
    });
  }
  document.querySelectorAll('button[data-scale]').forEach(function (b) {
    b.addEventListener('click', function () { apply(b.getAttribute('data-scale')); });
  });
  svg.querySelectorAll('rect[data-label]').forEach(function (el) {
    el.addEventListener('mouseenter', function () { show(el); });
    el.addEventListener('focus', function () { show(el); });
  });
  var wanted = window.location.hash.replace('#', '');
  apply(wanted === 'linear' || wanted === 'log' ? wanted : svg.getAttribute('data-scale'));
  document.body.setAttribute('data-ready', 'yes');
})();
)js";

// " (12 more regions not drawn, 110856 more iomem-hole findings)", or nothing.
std::string omitted_summary(const MemoryMap& map) {
    std::vector<std::string> parts;
    if (map.omitted) parts.push_back(fmt::format("{} more regions not drawn", map.omitted));
    for (const auto& [rule, count] : map.omitted_markers) parts.push_back(fmt::format("{} more {} findings not drawn", count, rule));
    if (parts.empty()) return {};
    return fmt::format(" ({})", fmt::join(parts, ", "));
}

}  // namespace

std::string render_map_svg(const MemoryMap& map, MapScale scale) {
    std::ostringstream out;
    make_svg(map, scale).save(out, "  ", pugi::format_default);
    return xml_safe_utf8(out.str());
}

std::string render_map_html(const MemoryMap& map, MapScale scale) {
    const auto doc = make_svg(map, scale);
    std::string sources;
    for (const auto& s : map.sources) sources += fmt::format("<code>{}</code> ", escape_html(s));
    std::string findings;
    for (const auto& m : map.markers)
        findings += fmt::format("<li class=\"severity-{}\"><code>{}</code> {} <span class=\"where\">{}</span> [{}]</li>\n", severity_name(m.severity),
                                escape_html(range_text(m.range)), escape_html(m.message), escape_html(m.where), escape_html(m.rule));
    for (const auto& [rule, count] : map.omitted_markers)
        findings += fmt::format("<li class=\"omitted\">{} more [{}] findings, not drawn or listed here (the first {} are): <code>bootmap lint</code> "
                                "lists them all</li>\n",
                                count, escape_html(rule), kMapMarkersPerRule);
    return xml_safe_utf8(fmt::format(R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bootmap memory map</title>
<style>
body{{font-family:sans-serif;margin:16px;color:#222}}
header p{{margin:4px 0}}
.controls button{{margin-right:6px;padding:4px 10px}}
.controls button[aria-pressed=true]{{background:#333;color:#fff}}
main{{display:flex;flex-wrap:wrap;align-items:flex-start;gap:16px}}
#details{{position:sticky;top:8px;min-width:260px;max-width:360px;border:1px solid #999;padding:8px;font-size:13px}}
#details dt{{font-weight:bold}}#details dd{{margin:0 0 6px 0;word-break:break-all}}
li.severity-error{{color:#b71c1c}}li.severity-warning{{color:#8d6e00}}.where{{color:#555}}
</style>
</head>
<body data-ready="no">
<header>
<h1>bootmap memory map</h1>
<p>From {sources}</p>
<p class="controls">Scale: <button type="button" data-scale="log">log</button><button type="button" data-scale="linear">linear</button>
{regions} regions, {nodes} NUMA nodes, {markers} findings with an address range{omitted}</p>
</header>
<main>
<div class="map">{svg}</div>
<aside id="details" aria-live="polite">
<dl><dt>region</dt><dd data-field="label">(hover over a region)</dd><dt>kind</dt><dd data-field="kind"></dd>
<dt>range</dt><dd data-field="range"></dd><dt>size</dt><dd data-field="size"></dd><dt>detail</dt><dd data-field="detail"></dd></dl>
</aside>
</main>
<section><h2>Findings on the map</h2><ul>
{findings}</ul></section>
<script>{script}</script>
</body>
</html>
)html",
                       fmt::arg("sources", sources), fmt::arg("regions", map.regions.size()), fmt::arg("nodes", map.nodes.size()),
                       fmt::arg("markers", map.markers.size()),
                       fmt::arg("omitted", omitted_summary(map)),
                       fmt::arg("svg", xml_text(doc.first_child())), fmt::arg("findings", findings), fmt::arg("script", kScript)));
}

}  // namespace bootmap
