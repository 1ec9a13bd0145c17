using FeatureStore.Domain;

namespace FeatureStore.Contracts;

/// <summary>Converts between feature-view DTOs and the domain. Input is assumed validated.</summary>
public static class FeatureViewMapping
{
    public static FeatureViewDefinition ToDefinition(this FeatureViewDto dto, int version, DateTimeOffset createdAt) => new(
        string.IsNullOrEmpty(dto.Project) ? Names.DefaultProject : dto.Project,
        dto.Name!,
        version,
        new EntityDefinition(dto.Entity!.Name!, dto.Entity.JoinKey!, ParseType(dto.Entity.Type)),
        new BatchSource(dto.Source!.Path!, dto.Source.TimestampField!, NullIfEmpty(dto.Source.CreatedTimestampField)),
        dto.Features!.Select(f => new FeatureField(f.Name!, ParseType(f.Type))).ToList(),
        Durations.Parse(dto.Ttl ?? "0"),
        createdAt);

    public static FeatureViewDefinition ToDefinition(this FeatureViewVersionDto dto) => dto.ToDefinition(dto.Version, dto.CreatedAt);

    public static FeatureViewVersionDto ToDto(this FeatureViewDefinition definition) => new()
    {
        Project = definition.Project,
        Name = definition.Name,
        Version = definition.Version,
        CreatedAt = definition.CreatedAt,
        Entity = new EntityDto { Name = definition.Entity.Name, JoinKey = definition.Entity.JoinKey, Type = definition.Entity.JoinKeyType.ToName() },
        Source = new BatchSourceDto
        {
            Path = definition.Source.Path,
            TimestampField = definition.Source.TimestampField,
            CreatedTimestampField = definition.Source.CreatedTimestampField,
        },
        Features = definition.Features.Select(f => new FeatureFieldDto { Name = f.Name, Type = f.Type.ToName() }).ToList(),
        Ttl = Durations.ToText(definition.Ttl),
    };

    private static FeatureValueType ParseType(string? name) =>
        FeatureValueTypes.TryParse(name, out var type) ? type : throw new FormatException($"unknown type '{name}'");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
