"""Server-rendered pages (HTML). Each module has one ``router``; ``zonehero.edges.web.app.PAGE_ROUTERS`` lists them."""
