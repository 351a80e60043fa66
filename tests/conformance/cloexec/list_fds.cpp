// The child of the close-on-exec test: prints one line per open file
// descriptor, "<fd> <what it points to>" (the /proc/self/fd link, e.g.
// "socket:[12345]" or "anon_inode:[eventpoll]"), leaving out the directory
// it reads the list from. Plain C++, no metalio: it must not open anything
// itself before it looks.
#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>

int main() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        std::perror("opendir /proc/self/fd");
        return 2;
    }
    const int own = ::dirfd(dir);
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const int fd = std::atoi(entry->d_name);
        if (fd == own) continue;
        char target[PATH_MAX] = {};
        const std::string link = std::string("/proc/self/fd/") + entry->d_name;
        const ssize_t length = ::readlink(link.c_str(), target, sizeof target - 1);
        if (length < 0) continue;  // closed meanwhile
        std::printf("%d %s\n", fd, target);
    }
    ::closedir(dir);
    return 0;
}
