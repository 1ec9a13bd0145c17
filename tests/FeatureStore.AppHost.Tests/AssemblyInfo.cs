// One start of the AppHost for every test of this assembly (a start takes minutes), shared rather than one per class.
[assembly: AssemblyFixture(typeof(FeatureStore.AppHost.Tests.AppHostFixture))]
// The tests share that one stack on a 2-core machine: run one at a time so none of them times out waiting for the others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
