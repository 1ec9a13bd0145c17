using System.Text.Json;

namespace FeatureStore.ModelApi.Performance;

/// <summary>A customer's key as the prediction log and outcomes store it: a number's text as sent, or the string itself — so
/// <c>42</c> sent to predict and <c>42</c> sent as an outcome meet.</summary>
public static class CustomerKey
{
    public static string Of(JsonElement id) => id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
}
