using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Storage.Objects;
using Parquet.Serialization;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>A labelled instant: which entity, when its label was known, and the label.</summary>
public sealed record LabelledRow(object EntityId, DateTimeOffset At, bool Label);

/// <summary>
/// Reads a labels source (a batch source in the registry: its Parquet object, its timestamp field) into rows of
/// entity key, label time and label; rows with any of the three missing are skipped. A source or column that
/// does not exist is a 400 naming the request field that chose it.
/// </summary>
public sealed class LabelReader(IDefinitionCatalog catalog, IObjectStore objects)
{
    public async Task<IReadOnlyList<LabelledRow>> ReadAsync(string project, string sourceName, string entityKey, string labelColumn,
        CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(project, ObjectKind.DataSource, sourceName, null, cancellationToken) is not DataSourceDefinition source)
            throw FieldErrors.Invalid("labelsSource", $"data source '{sourceName}' does not exist in project '{project}'");
        // The labels are source data like any other: read only where the project may (a share may be withdrawn after apply).
        if (await SourceScope.RefusalAsync(catalog, project, source.Path, cancellationToken) is { } refusal)
            throw new ForbiddenException([new FieldError("labelsSource", $"source '{sourceName}' may not be read: {refusal}")]);
        await using var stream = new MemoryStream();
        try
        {
            await using var content = await objects.OpenReadAsync(source.Path, cancellationToken);
            await content.CopyToAsync(stream, cancellationToken);
        }
        catch (StoredObjectNotFoundException)
        {
            throw FieldErrors.Invalid("labelsSource",
                $"source '{sourceName}' has no data yet ('{source.Path}' is not in the object store)");
        }
        stream.Position = 0;
        var table = (await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: cancellationToken)).Data;
        var columns = table.Count > 0 ? table[0].Keys.ToHashSet(StringComparer.Ordinal) : [];
        var wanted = new[] { (Column: entityKey, Field: "labelsSource"), (Column: source.TimestampField, Field: "labelsSource"),
            (Column: labelColumn, Field: "labelColumn") };
        var missing = wanted.Where(w => !columns.Contains(w.Column))
            .Select(w => new FieldError(w.Field, $"source '{sourceName}' has no column '{w.Column}'")).ToList();
        if (missing.Count > 0) throw FieldErrors.Invalid(missing);

        var rows = new List<LabelledRow>(table.Count);
        foreach (var row in table)
            if (row[entityKey] is { } id && FeatureValues.ToTimestamp(row[source.TimestampField]) is { } at
                && row[labelColumn] is { } label)
                rows.Add(new LabelledRow(id, at, Convert.ToBoolean(label, System.Globalization.CultureInfo.InvariantCulture)));
        return rows;
    }
}
