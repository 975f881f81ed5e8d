/** Which precached page answers an uncached navigation while offline: each app's own entry page. */
export function navigationFallback(pathname: string): string {
	if (pathname === '/app' || pathname.startsWith('/app/')) return '/app/offline';
	if (pathname === '/scan' || pathname.startsWith('/scan/')) return '/scan';
	return '/';
}
