using System.Text.RegularExpressions;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Objects;

public sealed class ObjectRequest : IProjectScoped
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public int? Version { get; set; }
}

public sealed class ObjectRequestValidator : Validator<ObjectRequest>
{
    public ObjectRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be 1 or more").When(r => r.Version is not null);
    }
}

/// <summary><c>{name}@{version}</c>: the version as <c>3</c> or <c>v3</c>.</summary>
public sealed partial class ObjectVersionRequest : IProjectScoped
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    [QueryParam] public string? Project { get; set; }

    public int Number => int.Parse(VersionPattern().Match(Version).Groups[1].Value);

    [GeneratedRegex("^v?([1-9][0-9]{0,8})$")]
    public static partial Regex VersionPattern();
}

public sealed class ObjectVersionRequestValidator : Validator<ObjectVersionRequest>
{
    public ObjectVersionRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Version).Must(v => ObjectVersionRequest.VersionPattern().IsMatch(v))
            .WithMessage("must be a version number such as 3 or v3");
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}

public sealed class ObjectListRequest : IProjectScoped
{
    [QueryParam] public string? Project { get; set; }
    /// <summary><c>key</c> or <c>key:value</c>.</summary>
    [QueryParam] public string? Tag { get; set; }
    [QueryParam] public string? Owner { get; set; }
    /// <summary>Objects that describe this entity (directly, or through the views they use).</summary>
    [QueryParam] public string? Entity { get; set; }
    /// <summary>Text searched in names, descriptions and feature names, ignoring case.</summary>
    [QueryParam] public string? Q { get; set; }
}

public sealed class ObjectListRequestValidator : Validator<ObjectListRequest>
{
    public ObjectListRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Entity).MustBeName().When(r => r.Entity is not null);
        RuleFor(r => r.Tag).Must(t => t!.Split(':', 2)[0].Length > 0).WithMessage("must be 'key' or 'key:value'")
            .When(r => r.Tag is not null);
        RuleFor(r => r.Q).MaximumLength(256).WithMessage("must be at most 256 characters");
    }
}
