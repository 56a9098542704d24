/* strings, characters, digraphs and continuations */
static const char *msg = "/* not a comment */ // nor this";
static const char quote = '"';
static const char *ends = "a \" b";  /* comment after a string */
int after_strings;
// a line comment that goes on \
int not_declared_here;
#define LONG_MACRO(a, b) \
	do { \
		(a) += (b); \
	} while (0)
%:define DIGRAPH_MACRO 1
int digraph_array<:4:> = <% 1, 2 %>;
struct __attribute__((packed, aligned(8))) raw_attrs {
	int x __attribute__((aligned(16)));
};
int __attribute__((section(".data.x"), used)) sectioned = 1;
#if defined(CONFIG_A) && CONFIG_B
int conditional;
#endif
struct __my_align4 aligned_tag {
	int x;
};
