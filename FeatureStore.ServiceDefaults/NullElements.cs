using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FeatureStore.Api;

/// <summary>
/// A JSON contract rule for request bodies: a list or dictionary whose elements the DTO declares non-nullable
/// (<c>List&lt;PushRow&gt;</c>, not <c>List&lt;PushRow?&gt;</c>) refuses <c>null</c> among them as a 400 naming the member,
/// once, here, instead of every validator remembering it and every handler meeting a null it was promised away.
/// </summary>
public static class NullElements
{
    public static void Refuse(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        var nullability = new NullabilityInfoContext();
        foreach (var property in type.Properties)
        {
            if (property.Set is not { } set || property.AttributeProvider is not PropertyInfo info) continue;
            if (!HoldsNonNullableElements(nullability.Create(info), info.PropertyType)) continue;
            var name = property.Name;
            property.Set = (target, value) =>
            {
                if (value is not null && HasNullElement(value))
                    throw new JsonException($"'{name}' holds a null where a value is required");
                set(target, value);
            };
        }
    }

    private static bool HoldsNonNullableElements(NullabilityInfo property, Type type)
    {
        if (type == typeof(string)) return false;
        // An array's element, a list's only type argument, a dictionary's value (its last type argument).
        var element = property.ElementType ?? (property.GenericTypeArguments is { Length: > 0 } args ? args[^1] : null);
        return element is { ReadState: NullabilityState.NotNull } && !element.Type.IsValueType
               && typeof(IEnumerable).IsAssignableFrom(type);
    }

    private static bool HasNullElement(object collection) => collection switch
    {
        IDictionary dictionary => dictionary.Values.Cast<object?>().Any(v => v is null),
        IEnumerable items => items.Cast<object?>().Any(i => i is null),
        _ => false,
    };
}
