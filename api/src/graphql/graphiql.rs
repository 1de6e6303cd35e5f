//! GraphiQL, vendored: the page, its start script and pinned production builds of GraphiQL
//! and React, served from the binary (no CDN; works offline). `api/assets/graphiql/MANIFEST`
//! lists each file's sha256 and the npm package it was taken from; a test holds them to it.

/// A vendored file: its name under `/graphql/assets/`, content type and bytes.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The page served at `GET /graphql`.
pub const PAGE: &[u8] = include_bytes!("../../assets/graphiql/index.html");

/// The page's only allowed sources: this server.
pub const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

pub const ASSETS: [Asset; 5] = [
    Asset {
        name: "graphiql-3.8.3.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.8.3.min.js"),
    },
    Asset {
        name: "graphiql-3.8.3.min.css",
        content_type: CSS,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.8.3.min.css"),
    },
    Asset {
        name: "react-18.3.1.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react-18.3.1.production.min.js"),
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react-dom-18.3.1.production.min.js"),
    },
    Asset {
        name: "init.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/init.js"),
    },
];

/// Versioned files never change under their name: browsers may keep them a year. The page
/// and its start script are revalidated.
pub fn cache_control(name: &str) -> &'static str {
    if name == "init.js" {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    }
}

pub fn asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    const MANIFEST: &str = include_str!("../../assets/graphiql/MANIFEST");

    #[test]
    fn every_file_matches_its_manifest_hash() {
        let lines: Vec<(&str, &str)> = MANIFEST
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                Some((parts.next()?, parts.next()?))
            })
            .collect();
        let mut files: Vec<(&str, &[u8])> = ASSETS.iter().map(|a| (a.name, a.bytes)).collect();
        files.push(("index.html", PAGE));
        assert_eq!(lines.len(), files.len(), "one manifest line per file");
        for (name, bytes) in files {
            let listed = lines.iter().find(|(_, n)| *n == name).map(|(h, _)| *h);
            assert_eq!(
                listed,
                Some(hex::encode(Sha256::digest(bytes)).as_str()),
                "{name}"
            );
        }
    }

    #[test]
    fn the_page_loads_only_local_files() {
        let page = String::from_utf8_lossy(PAGE);
        let mut refs = 0;
        for attr in ["src=\"", "href=\""] {
            for (i, _) in page.match_indices(attr) {
                let rest = &page[i + attr.len()..];
                let url = rest.split('"').next().unwrap_or_default();
                let file = url.strip_prefix("/graphql/assets/");
                assert!(
                    file.and_then(asset).is_some(),
                    "{url} is not a vendored file"
                );
                refs += 1;
            }
        }
        assert_eq!(refs, ASSETS.len());
        assert!(!page.contains("//unpkg") && !page.contains("cdn"));
    }
}
