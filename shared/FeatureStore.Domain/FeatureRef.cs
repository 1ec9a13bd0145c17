using System.Globalization;

namespace FeatureStore.Domain;

/// <summary>A reference to one feature: <c>view:feature</c>, or pinned to a version, <c>view@v3:feature</c>.</summary>
public readonly record struct FeatureRef(string View, string Feature, int? Version = null)
{
    public const string Format = "'view:feature' or 'view@vN:feature'";

    public static bool TryParse(string? text, out FeatureRef reference)
    {
        reference = default;
        if (string.IsNullOrEmpty(text)) return false;
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon != text.LastIndexOf(':')) return false;
        var viewPart = text[..colon];
        var feature = text[(colon + 1)..];
        int? version = null;
        var at = viewPart.IndexOf('@');
        if (at >= 0)
        {
            var pin = viewPart[(at + 1)..];
            if (pin.Length < 2 || pin[0] != 'v'
                || !int.TryParse(pin.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
                return false;
            version = v;
            viewPart = viewPart[..at];
        }
        if (!Names.IsValid(viewPart) || !Names.IsValid(feature)) return false;
        reference = new FeatureRef(viewPart, feature, version);
        return true;
    }

    /// <summary>The output column name: <c>feature</c>, or <c>view__feature</c> with full feature names.</summary>
    public string OutputName(bool fullFeatureNames) => fullFeatureNames ? $"{View}__{Feature}" : Feature;

    public override string ToString() => Version is { } v ? $"{View}@v{v}:{Feature}" : $"{View}:{Feature}";
}
