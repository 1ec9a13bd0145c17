using System.Text.Json.Serialization;

namespace FeatureStore.Domain.Security;

/// <summary>
/// What a request does, as permissions name it. Every endpoint declares one; a principal's roles (built-in, or granted by a
/// repository's <c>permissions</c>) decide whether it may.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureAction>))]
public enum FeatureAction
{
    [JsonStringEnumMemberName("describe")] Describe,
    [JsonStringEnumMemberName("create")] Create,
    [JsonStringEnumMemberName("update")] Update,
    [JsonStringEnumMemberName("delete")] Delete,
    [JsonStringEnumMemberName("materialize")] Materialize,
    [JsonStringEnumMemberName("read_online")] ReadOnline,
    [JsonStringEnumMemberName("read_offline")] ReadOffline,
    [JsonStringEnumMemberName("write_online")] WriteOnline,
    [JsonStringEnumMemberName("write_offline")] WriteOffline,
    [JsonStringEnumMemberName("train")] Train,
    [JsonStringEnumMemberName("predict")] Predict,
    [JsonStringEnumMemberName("admin")] Admin,
    /// <summary>What only the services do for each other (verify a key, record a push, list pushed files): the service
    /// identity holds it, and no role or permission can grant it.</summary>
    [JsonStringEnumMemberName("internal")] Internal,
}
