using System.Reflection;
using System.Runtime.ExceptionServices;
using Chancery.Archive;

namespace Chancery.Web.Tests.Infrastructure;

/// <summary>
/// An <see cref="IArchive"/> that forwards every call to another one but is not an <see cref="ILinkArchive"/>: the
/// web host over it behaves as on a backend that keeps no links (PostgreSQL today).
/// </summary>
public class ArchiveWithoutLinks : DispatchProxy
{
    private IArchive _target = null!;

    public static IArchive Over(IArchive target)
    {
        var proxy = Create<IArchive, ArchiveWithoutLinks>();
        ((ArchiveWithoutLinks)(object)proxy)._target = target;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        try
        {
            return targetMethod!.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
