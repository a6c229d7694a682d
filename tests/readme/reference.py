# PyPI's own README renderer (readme_renderer, Debian's python3-readme-renderer) for the differential test:
# reads [{"name", "format", "text"}] as JSON on stdin, writes {name: html or null} (null: it refuses the markup).
import json
import sys

from readme_renderer import markdown, rst

documents = json.load(sys.stdin)
rendered = {}
for doc in documents:
    render = markdown.render if doc["format"] == "markdown" else rst.render
    rendered[doc["name"]] = render(doc["text"])
json.dump(rendered, sys.stdout)
