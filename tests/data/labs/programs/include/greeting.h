#define GREETING_WHO "guest"
