int crlf_before;
#define CRLF_MACRO(x) \
	((x) + 1)
int crlf_after;
