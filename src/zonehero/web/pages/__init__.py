"""Server-rendered pages (HTML). Each module has one ``router``; ``zonehero.web.app.PAGE_ROUTERS`` lists them."""
