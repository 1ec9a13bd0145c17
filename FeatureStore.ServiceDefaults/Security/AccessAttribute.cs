using FeatureStore.Domain.Security;

namespace FeatureStore.Api.Security;

/// <summary>
/// What an endpoint does, as access control sees it. Every endpoint class carries one; the check runs once the request is
/// bound (so it knows the project), before the handler. An endpoint without it is refused to all but the services:
/// forgetting it fails closed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AccessAttribute(FeatureAction action) : Attribute
{
    public FeatureAction Action { get; } = action;
}
