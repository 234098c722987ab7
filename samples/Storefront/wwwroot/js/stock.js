// The live stock level on a product page: <p data-stock-url="/api/products/1/stock">… <output>…</output></p>.
// EventSource reconnects by itself after a dropped stream; a reconnect answered with an error (503 during
// maintenance) closes it for good, and the line says so: the next navigation shows the maintenance page.
for (const line of document.querySelectorAll("[data-stock-url]")) {
    const output = line.querySelector("output");
    const source = new EventSource(line.dataset.stockUrl);
    source.addEventListener("stock", (event) => {
        output.value = `${event.data} in stock`;
        line.dataset.state = "live";
    });
    source.addEventListener("error", () => {
        line.dataset.state = source.readyState === EventSource.CLOSED ? "closed" : "reconnecting";
        if (source.readyState === EventSource.CLOSED) {
            output.value = "Live stock paused";
        }
    });
}
