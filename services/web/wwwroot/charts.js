// Plotly.Blazor queues a chart until plotly.js has loaded and draws it then, even when the page that held the chart is gone
// (someone moved on before the library arrived): plotly would throw "No DOM element with id …" into the console. Here a chart
// whose element is gone is simply not drawn; everything else reaches plotly unchanged.
(() => {
    let plotly;
    Object.defineProperty(window, "Plotly", {
        configurable: true,
        get: () => plotly,
        set: library => {
            for (const name of ["newPlot", "react"]) {
                const draw = library[name];
                library[name] = (target, ...rest) =>
                    typeof target === "string" && !document.getElementById(target) ? Promise.resolve() : draw.call(library, target, ...rest);
            }
            plotly = library;
        },
    });
})();
