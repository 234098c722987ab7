using Microsoft.AspNetCore.Mvc.RazorPages;
using Storefront.Catalog;

namespace Storefront.Pages.Products;

public sealed class IndexModel(ProductCatalog catalog) : PageModel
{
    public IReadOnlyList<Product> Products => catalog.All;
}
