/*
 * A test fixture: a valid shared object that needs a library that does not exist at run time, so loading it
 * fails the way a host without rdma-core fails. The rdma-native profile builds the dependency from this file
 * too (RDMABUS_STUB), links against it, and deletes it.
 */
int rdmabus_missing_dependency(void);

#ifdef RDMABUS_STUB
int rdmabus_missing_dependency(void) {
    return 0;
}
#else
int rdmabus_unlinkable(void) {
    return rdmabus_missing_dependency();
}
#endif
