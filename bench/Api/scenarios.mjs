// The five API scenarios, each written once for Peregrine (Hasura's names) and once for
// PostGraphile 5's amber preset (names checked by introspection: rowId is the uuid, `id` the Node ID).
// `params` comes from run.sh (params.json): the H3 cell, the 1,000 report ids and the point.
import { readFileSync } from "node:fs";

export const NAMES = ["feed", "cell", "byid", "radius", "aggregate"];

export function loadParams(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Every scenario: a title, and per target a list of request bodies (one, or the rotation) plus the rows it returns. */
export function scenarios(params) {
  const { cell, cellOp, ids, point } = params;
  const [lng, lat] = point.coordinates;
  const body = (query, variables) => JSON.stringify({ query, variables });
  return {
    feed: {
      title: "recent feed: 20 newest with user, media, categories",
      peregrine: {
        bodies: [
          body(
            `query GetRecentPhenoms($limit: Int!) {
  phenom_reports(order_by: {timestamp: desc}, limit: $limit) {
    id description timestamp location h3_index
    user { id profile }
    media { url type thumbnail_url }
    categories { name icon }
  }
}`,
            { limit: 20 },
          ),
        ],
        rows: (j) => j.data.phenom_reports.length,
      },
      postgraphile: {
        bodies: [
          body(
            `query GetRecentPhenoms($limit: Int!) {
  allPhenomReports(first: $limit, orderBy: [TIMESTAMP_DESC]) {
    nodes {
      rowId description timestamp locationGeojson h3Index
      userByUserId { rowId profile }
      phenomMediasByReportId { nodes { url type thumbnailUrl } }
      phenomReportCategoriesByReportId { nodes { categoryByCategoryId { name icon } } }
    }
  }
}`,
            { limit: 20 },
          ),
        ],
        rows: (j) => j.data.allPhenomReports.nodes.length,
      },
    },

    cell: {
      title: `one H3 cell (${params.cellNote}), newest 100, with media`,
      peregrine: {
        bodies: [
          body(
            `query GetPhenomsByHex($h3Index: String!) {
  phenom_reports(where: {h3_index: {${cellOp === "eq" ? "_eq" : "_h3_in_cell"}: $h3Index}}, order_by: {timestamp: desc}, limit: 100) {
    id location timestamp
    media { thumbnail_url }
  }
}`,
            { h3Index: cell },
          ),
        ],
        rows: (j) => j.data.phenom_reports.length,
      },
      postgraphile: {
        bodies: [
          body(
            `query GetPhenomsByHex($h3Index: String!) {
  allPhenomReports(condition: {h3Index: $h3Index}, orderBy: [TIMESTAMP_DESC], first: 100) {
    nodes {
      rowId locationGeojson timestamp
      phenomMediasByReportId { nodes { thumbnailUrl } }
    }
  }
}`,
            { h3Index: cell },
          ),
        ],
        rows: (j) => j.data.allPhenomReports.nodes.length,
      },
    },

    byid: {
      title: `one report by id with nested data (rotating over ${ids.length} ids)`,
      peregrine: {
        bodies: ids.map((id) =>
          body(
            `query GetPhenom($id: uuid!) {
  phenom_reports_by_pk(id: $id) {
    id description timestamp location coordinates h3_index
    user { id profile }
    media { id url type thumbnail_url metadata }
    categories { id name icon }
  }
}`,
            { id },
          ),
        ),
        rows: (j) => (j.data.phenom_reports_by_pk ? 1 : 0),
      },
      postgraphile: {
        bodies: ids.map((id) =>
          body(
            `query GetPhenom($id: UUID!) {
  phenomReportByRowId(rowId: $id) {
    rowId description timestamp locationGeojson coordinates h3Index
    userByUserId { rowId profile }
    phenomMediasByReportId { nodes { rowId url type thumbnailUrl metadata } }
    phenomReportCategoriesByReportId { nodes { categoryByCategoryId { rowId name icon } } }
  }
}`,
            { id },
          ),
        ),
        rows: (j) => (j.data.phenomReportByRowId ? 1 : 0),
      },
    },

    radius: {
      title: `within 10 km of ${params.pointName}, newest 50`,
      peregrine: {
        bodies: [
          body(
            `query Nearby($point: geography!) {
  phenom_reports(
    where: {location: {_st_d_within: {from: $point, distance: 10000}}}
    order_by: {timestamp: desc}
    limit: 50
  ) {
    id description timestamp location
    media { thumbnail_url }
  }
}`,
            { point },
          ),
        ],
        rows: (j) => j.data.phenom_reports.length,
      },
      postgraphile: {
        // amber has no PostGIS filter: bench_pg.reports_within (run.sh) is the same ST_DWithin.
        bodies: [
          body(
            `query Nearby($lng: Float!, $lat: Float!) {
  benchPgReportsWithin(lng: $lng, lat: $lat, meters: 10000, first: 50) {
    nodes {
      rowId description timestamp locationGeojson
      phenomMediasByReportId { nodes { thumbnailUrl } }
    }
  }
}`,
            { lng, lat },
          ),
        ],
        rows: (j) => j.data.benchPgReportsWithin.nodes.length,
      },
    },

    aggregate: {
      title: "report count per category",
      peregrine: {
        bodies: [body(`query CountByCategory {
  categories { name phenom_reports_aggregate { aggregate { count } } }
}`)],
        rows: (j) => j.data.categories.length,
      },
      postgraphile: {
        bodies: [body(`query CountByCategory {
  allCategories { nodes { name phenomReportCategoriesByCategoryId { totalCount } } }
}`)],
        rows: (j) => j.data.allCategories.nodes.length,
      },
    },
  };
}

/** A response is good when it has data and no errors (checked on the raw text, cheaply, under load). */
export function goodBody(text) {
  return text.startsWith('{"data":{') && !text.slice(-400).includes('"errors"');
}
