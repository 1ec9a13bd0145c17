using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace FeatureStore.Web.Components.Charts;

/// <summary>What every chart of the UI shares: no mode bar, resizing with the page, titled axes, room for the labels.</summary>
public static class ChartStyle
{
    public static Config Config() => new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    /// <summary>A layout with a time axis along the bottom and a titled value axis (<paramref name="format"/>: a d3 format such
    /// as <c>.0%</c>).</summary>
    public static Plotly.Blazor.Layout OverTime(string valueTitle, int height = 300, string? format = null, bool dates = true) => new()
    {
        Height = height,
        Margin = new Margin { L = 70, R = 20, T = 30, B = 60 },
        XAxis = [new XAxis { Type = dates ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date : null }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = valueTitle }, TickFormat = format }],
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
    };

    /// <summary>Shows the whole period [<paramref name="start"/>, <paramref name="end"/>] on the time axis, with a little room on each
    /// side for the first and last points (one point alone would otherwise fill the axis, in milliseconds).</summary>
    public static void Period(Plotly.Blazor.Layout layout, DateTimeOffset start, DateTimeOffset end)
    {
        var room = (end - start) / 40;
        layout.XAxis[0].Range = [Time(start - room), Time(end + room)];
    }

    /// <summary>An instant as plotly reads a date (UTC, no offset).</summary>
    public static object Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    public static List<object> Values<T>(IEnumerable<T> items, Func<T, object?> value) => items.Select(i => value(i)!).ToList();
}
