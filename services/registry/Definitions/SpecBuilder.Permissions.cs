using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.Registry.Definitions;

public sealed partial class SpecBuilder
{
    /// <summary>The kinds a permission can cover: everything but permissions themselves (only admins touch those).</summary>
    private static readonly ObjectKind[] CoverableKinds = ObjectKinds.All.Where(k => k != ObjectKind.Permission).ToArray();

    public PermissionDefinition? Permission(PermissionDto? dto, string path)
    {
        if (dto is null)
            return Reject<PermissionDefinition>(errors, path, "must be a permission {\"name\", \"roles\" or \"projects\", \"actions\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        // A share to other projects needs no role; anything else grants to roles, so it must name one.
        var projects = NameList(dto.Projects, $"{path}.projects", "project", required: false);
        var roles = NameList(dto.Roles, $"{path}.roles", "role", required: dto.Projects is not { Count: > 0 });
        for (var i = 0; i < (projects?.Count ?? 0); i++)
            if (projects![i] == project)
                ok = Fail($"{path}.projects[{i}]", $"names the permission's own project '{project}'; list only other projects");
        var types = new List<ObjectKind>();
        for (var i = 0; i < (dto.Types?.Count ?? 0); i++)
            if (ObjectKinds.TryParse(dto.Types![i], out var kind) && CoverableKinds.Contains(kind) && !types.Contains(kind))
                types.Add(kind);
            else ok = Fail($"{path}.types[{i}]", $"must be one of {string.Join(", ", CoverableKinds.Select(k => k.ToName()))}, once");
        var patterns = dto.NamePatterns ?? [];
        for (var i = 0; i < patterns.Count; i++)
            if (!PermissionDefinition.IsPattern(patterns[i]))
                ok = Fail($"{path}.namePatterns[{i}]",
                    "must be a name with * and ? wildcards (letters, digits, _), at most 128 characters");
        ok &= TagsValid(dto.RequiredTags, $"{path}.requiredTags");
        var actions = new List<FeatureAction>();
        if (dto.Actions is null or { Count: 0 }) ok = Fail($"{path}.actions", "must list at least one action");
        for (var i = 0; i < (dto.Actions?.Count ?? 0); i++)
            if (!AccessRules.TryParseGrantable(dto.Actions![i], out var action))
                ok = Fail($"{path}.actions[{i}]", $"must be one of {string.Join(", ", AccessRules.GrantableNames)}");
            else if (!actions.Contains(action)) actions.Add(action);
        return ok && metadata is not null && roles is not null && projects is not null
            ? new PermissionDefinition(project, dto.Name!, types, patterns.Select(p => p!).ToList(),
                new SortedDictionary<string, string>(dto.RequiredTags ?? [], StringComparer.Ordinal), roles, actions, metadata,
                Projects: projects.Count > 0 ? projects : null)
            : null;
    }
}
